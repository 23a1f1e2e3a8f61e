"""What `rejoinder demo` adds: the sample articles and discussions, the mail catcher, and the
admin's "Demo mailbox".

It sits above the domain apps: loading goes through their functions, as an import would.
"""
