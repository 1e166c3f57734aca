SELECT e.kind AS kind, e.created_at AS created_at
FROM {{ref:central.org_events}} AS e
WHERE e.org_slug = {{org_slug}}
