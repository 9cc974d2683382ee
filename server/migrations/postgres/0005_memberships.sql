-- A person may belong to several cabinets (a practitioner working in two practices, a patient
-- followed in both); `X-Tenant-ID` picks one per request. users.cabinet_id/role stay as the home
-- membership, created with the user by the trigger below so no insert path can forget it.
CREATE TABLE memberships (
    user_id     TEXT NOT NULL REFERENCES users(id),
    cabinet_id  TEXT NOT NULL REFERENCES cabinets(id),
    role        TEXT NOT NULL CHECK (role IN ('patient', 'practitioner', 'admin', 'manager')),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, cabinet_id)
);
CREATE INDEX memberships_cabinet ON memberships (cabinet_id, role);

INSERT INTO memberships (user_id, cabinet_id, role, created_at)
SELECT id, cabinet_id, role, created_at FROM users;

CREATE FUNCTION users_home_membership() RETURNS trigger AS $$
BEGIN
    INSERT INTO memberships (user_id, cabinet_id, role, created_at)
    VALUES (NEW.id, NEW.cabinet_id, NEW.role, NEW.created_at);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_home_membership
AFTER INSERT ON users
FOR EACH ROW EXECUTE FUNCTION users_home_membership();
