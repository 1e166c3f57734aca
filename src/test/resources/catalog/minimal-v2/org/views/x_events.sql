SELECT e.kind AS kind, e.created_at AS created_at, e.org_slug AS org_slug
FROM {{ref:central.org_events}} AS e
WHERE e.org_slug = {{org_slug}}
