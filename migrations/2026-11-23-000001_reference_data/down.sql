DROP TABLE service_units;
DROP TABLE categories;
DROP TABLE councils;
