DROP TABLE user_category_opt_outs;
DROP TABLE users;
