-- Every instance remembers who may act where (store/member_cache.rs) and must forget it the
-- moment it changes, whichever instance (or psql session) changed it. New memberships need no
-- message: only memberships that exist are remembered.
CREATE FUNCTION memberships_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('nova_memberships', OLD.user_id);
    IF TG_OP = 'UPDATE' THEN
        IF NEW.user_id <> OLD.user_id THEN
            PERFORM pg_notify('nova_memberships', NEW.user_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER memberships_changed
AFTER UPDATE OR DELETE ON memberships
FOR EACH ROW EXECUTE FUNCTION memberships_changed();

-- An erased account stops at once too (the membership read joins on users.erased_at).
CREATE FUNCTION users_erasure_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('nova_memberships', NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_erasure_changed
AFTER UPDATE OF erased_at ON users
FOR EACH ROW WHEN (OLD.erased_at IS DISTINCT FROM NEW.erased_at)
EXECUTE FUNCTION users_erasure_changed();
