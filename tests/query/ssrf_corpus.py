"""Queries that try to make the server or the CLI reach out (SERVICE, LOAD, FROM, updates), written to evade a
text-based guard; and a loopback listener that counts who connects. Shared by tests/web and tests/query."""

from __future__ import annotations

#: (name, query template with {url} = http://127.0.0.1:PORT, status the server must give)
CORPUS = [
    ("plain", "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
    ("silent", "SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
    ("comment-cr", "SELECT * WHERE {{ #x\rSERVICE <{url}/admin> {{ ?s ?p ?o }} }}", 403),
    ("comment-cr-valid-both-ways", "SELECT * WHERE {{ ?s ?p ?o #x\r SERVICE <{url}/a> {{ ?s ?p ?o }} \n}}", 403),
    ("comment-crlf", "SELECT * WHERE {{ #x\r\nSERVICE <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("form-feed", "SELECT * WHERE {{\fSERVICE <{url}/a> {{ ?s ?p ?o }} }}", 400),
    ("unicode-escape", "SELECT * WHERE {{ \\u0053ERVICE <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("long-unicode-escape", "SELECT * WHERE {{ \\U00000053ERVICE <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("escape-in-iri", "SELECT * WHERE {{ SERVICE <http\\u003A//127.0.0.1:{port}/a> {{ ?s ?p ?o }} }}", 403),
    ("lower-case", "select * where {{ service <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("mixed-case", "SeLeCt * WhErE {{ sErViCe <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("prefixed-target", "PREFIX r: <{url}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}", 403),
    ("variable-target", "SELECT * WHERE {{ BIND(<{url}/a> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}", 403),
    ("nested-groups", "SELECT * WHERE {{ {{ OPTIONAL {{ {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }} }} }} }}", 403),
    ("union-minus",
     "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ?p ?o MINUS {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }} }} }}", 403),
    ("subquery", "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }} }} }}", 403),
    ("exists", "ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }} }}", 403),
    ("construct", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("comment-next-to-iri", "SELECT * WHERE {{ ?s ?p <urn:x>#c\rSERVICE<{url}/a>{{?s ?p ?o}}}}", 403),
    ("comment-inside-group", "SELECT * WHERE {{#\rSERVICE#\r<{url}/a>#\r{{?s ?p ?o}}}}", 403),
    ("from-iri", "SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", 403),
    ("from-named", "SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 403),
    ("from-prefixed", "PREFIX r: <{url}/> SELECT * FROM r:data.ttl WHERE {{ ?s ?p ?o }}", 403),
    ("from-comment-cr", "SELECT * #x\rFROM <{url}/d.ttl> WHERE {{ ?s ?p ?o }}", 403),
    ("load", "LOAD <{url}/data.ttl>", 403),
    ("load-lower-escaped", "\\u006Coad <{url}/data.ttl>", 403),
    ("load-into", "LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>", 403),
    ("insert-data", "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}", 403),
    ("insert-where-service", "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}", 403),
    ("multiple-operations", "CLEAR ALL ; LOAD <{url}/data.ttl>", 403),
    ("query-then-update", "SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}/data.ttl>", 400),
    ("comment-hides-update", "#\rDROP ALL", 403),
]


def render(template: str, port: int) -> str:
    """The query with the listener's address in it."""
    return template.format(url=f"http://127.0.0.1:{port}", port=port)
