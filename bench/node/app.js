// The benchmark's Node baseline: the pages of Okta's Node/Express user-management tutorial, with
// the libraries it uses (express, express-session, @okta/oidc-middleware, @okta/okta-sdk-nodejs,
// handlebars views), written here for bench/run.sh. Not part of userdesk; see README.md.
'use strict'
require('dotenv').config({ path: process.env.USERDESK_ENV_FILE || '.env' })
const express = require('express')
const session = require('express-session')
const { ExpressOIDC } = require('@okta/oidc-middleware')
const okta = require('@okta/okta-sdk-nodejs')

const port = Number(process.env.PORT || 3000)
const hostUrl = process.env.HOST_URL
const app = express()
app.set('view engine', 'hbs')
app.set('views', `${__dirname}/views`)
app.use(express.urlencoded({ extended: false }))
app.use(session({ secret: process.env.APP_SECRET, resave: true, saveUninitialized: false }))

const oidc = new ExpressOIDC({
  issuer: `${process.env.ORG_URL}/oauth2/default`,
  client_id: process.env.CLIENT_ID,
  client_secret: process.env.CLIENT_SECRET,
  appBaseUrl: hostUrl,
  scope: 'openid profile',
  routes: { login: { path: '/login' }, loginCallback: { path: '/authorization-code/callback' } },
  testing: { disableHttpsCheck: true },  // mini-okta on loopback speaks plain HTTP
})
app.use(oidc.router)

// As the tutorial: every request of a signed-in user reads the user from Okta's Users API.
const users = new okta.Client({
  orgUrl: process.env.ORG_URL,
  token: process.env.USER_PROFILE_TOKEN,
  testing: { disableHttpsCheck: true },
})
app.use(async (req, res, next) => {
  if (req.userContext) {
    try {
      req.user = await users.userApi.getUser({ userId: req.userContext.userinfo.sub })
    } catch (err) {
      return next(err)
    }
  }
  next()
})

const startCase = (key) =>
  key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
const fields = ['firstName', 'lastName', 'streetAddress', 'city', 'state', 'zipCode', 'birthdate',
  'favoriteColor']

app.get('/', (req, res) => res.render('index', { title: 'Home', user: req.user }))
app.get('/dashboard', oidc.ensureAuthenticated(), (req, res) => {
  const profile = req.user.profile
  const attributes = Object.keys(profile).sort()
    .filter((key) => profile[key] != null && profile[key] !== '')
    .map((key) => ({ label: startCase(key), value: profile[key] }))
  res.render('dashboard', { title: 'Dashboard', user: req.user, attributes })
})
app.get('/profile', oidc.ensureAuthenticated(), (req, res) => {
  const form = fields.map((name) => ({ name, label: startCase(name), value: req.user.profile[name] || '' }))
  res.render('profile', { title: 'Profile', user: req.user, form })
})
app.post('/profile', oidc.ensureAuthenticated(), async (req, res, next) => {
  const profile = {}
  for (const name of fields) if (name in req.body) profile[name] = req.body[name]
  try {
    await users.userApi.updateUser({ userId: req.user.id, user: { profile } })
    res.redirect(303, '/profile')
  } catch (err) {
    next(err)
  }
})
app.get('/logout', (req, res) => req.session.destroy(() => res.redirect('/')))

app.listen(port, '127.0.0.1', () => console.log(`node baseline on ${port}`))
