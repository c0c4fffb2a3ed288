-- // create changelog
-- The table mybatis-migrations records applied scripts in; it is not created automatically.
CREATE TABLE changelog (
  id NUMERIC(20,0) NOT NULL PRIMARY KEY,
  applied_at VARCHAR(25) NOT NULL,
  description VARCHAR(255) NOT NULL
);

-- //@UNDO
DROP TABLE changelog;
