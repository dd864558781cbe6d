DROP TABLE council_review_decisions;
DROP TABLE council_reviews;
DROP TABLE council_opt_outs;
