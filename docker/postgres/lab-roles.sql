-- The trainee's role and database, as the embedded provider and `npm start` make them:
-- the trainee owns `lab` and is no superuser; scenarios and checks use the superuser.
CREATE ROLE trainee LOGIN PASSWORD 'trainee';
CREATE DATABASE lab OWNER trainee;
