"""What every surface (article pages, the box, the moderation and subscription pages, the API)
uses to read a request and to answer it: responses (problem+json, refusals), query parsing and
the links into a discussion. Surfaces import it; domain code never does.
"""
