"""The sample articles and discussions that `rejoinder demo` serves.

It sits above the domain apps: loading goes through their functions, as an import would.
"""
