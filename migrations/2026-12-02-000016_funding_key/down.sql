DROP TABLE council_residents;
DROP TABLE funding_parameters;
ALTER TABLE councils DROP COLUMN eligible;
