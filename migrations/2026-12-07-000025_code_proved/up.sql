-- Whether a session proved a second-factor code: a console session once its code (or
-- its enrolment) was accepted, a refresh family when its login carried one (rotations
-- inherit it). A family that never proved a code is refused once the person must use one.
ALTER TABLE refresh_tokens ADD COLUMN code_proved boolean NOT NULL DEFAULT false;
ALTER TABLE console_sessions ADD COLUMN code_proved boolean NOT NULL DEFAULT false;
