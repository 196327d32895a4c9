-- An event's slug names its report files and goes into download headers: lowercase letters, digits
-- and inner hyphens, at most 64 characters (db/events.ts EVENT_SLUG), whoever writes the event.
CREATE TRIGGER events_slug_valid_on_insert BEFORE INSERT ON events
WHEN NEW.slug = '' OR length(NEW.slug) > 64 OR NEW.slug GLOB '*[^a-z0-9-]*' OR NEW.slug GLOB '-*' OR NEW.slug GLOB '*-'
BEGIN
  SELECT RAISE(ABORT, 'events.slug must be lowercase letters, digits and inner hyphens (at most 64)');
END;

CREATE TRIGGER events_slug_valid_on_update BEFORE UPDATE OF slug ON events
WHEN NEW.slug = '' OR length(NEW.slug) > 64 OR NEW.slug GLOB '*[^a-z0-9-]*' OR NEW.slug GLOB '-*' OR NEW.slug GLOB '*-'
BEGIN
  SELECT RAISE(ABORT, 'events.slug must be lowercase letters, digits and inner hyphens (at most 64)');
END;
