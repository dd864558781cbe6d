DROP TRIGGER spot_openings_notify ON spot_openings;
DROP FUNCTION spot_openings_notify();
