-- Links are http, https or mailto only (issue 13, finding 12). Earlier
-- versions stored whatever a form or an import gave, javascript: and data:
-- included; pages filtered them but the API and the exports handed them
-- out. Such links are removed here, each one noted in the audit log with
-- the record it belonged to, so that an admin can see what went.

INSERT INTO audit_log (at, actor, action, target, detail)
	SELECT now(), 'migration', 'link.removed', 'publication:' || slug, link FROM publications WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');
UPDATE publications SET link = '' WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');

INSERT INTO audit_log (at, actor, action, target, detail)
	SELECT now(), 'migration', 'link.removed', 'source:' || id, link FROM sources WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');
UPDATE sources SET link = '' WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');

INSERT INTO audit_log (at, actor, action, target, detail)
	SELECT now(), 'migration', 'link.removed', 'organisation:' || slug, website FROM organisations WHERE website <> '' AND NOT (lower(website) LIKE 'http://%' OR lower(website) LIKE 'https://%' OR lower(website) LIKE 'mailto:%');
UPDATE organisations SET website = '' WHERE website <> '' AND NOT (lower(website) LIKE 'http://%' OR lower(website) LIKE 'https://%' OR lower(website) LIKE 'mailto:%');

INSERT INTO audit_log (at, actor, action, target, detail)
	SELECT now(), 'migration', 'link.removed', 'report:' || id, link FROM movement_reports WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');
UPDATE movement_reports SET link = '' WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');

UPDATE search_docs SET link = '' WHERE link <> '' AND NOT (lower(link) LIKE 'http://%' OR lower(link) LIKE 'https://%' OR lower(link) LIKE 'mailto:%');
