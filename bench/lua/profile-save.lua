-- wrk: a profile save as a browser sends it: POST /profile with the session cookie, the form's
-- CSRF token, a same-origin Origin, and a city that differs from the one the form showed, so
-- every post is an Okta update (then a 303). COOKIE, FORM (the whole form, url-encoded, as the
-- page showed it but for city) and ORIGIN come from bench/run.sh.
wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["Origin"] = os.getenv("ORIGIN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("FORM")
