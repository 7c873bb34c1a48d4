// Express 5 with UserHarbor: examples/express/run.sh starts it (PORT, USERHARBOR_URL,
// USERHARBOR_API_KEY, TRUSTED_PROXIES). test/integrations/ runs it against a real server.
import { userHarbor } from "@userharbor/sdk/express";
import express from "express";

const app = express();
app.set("trust proxy", process.env.TRUSTED_PROXIES || false); // e.g. 10.0.0.0/8: your proxies
const uh = userHarbor({ url: process.env.USERHARBOR_URL, apiKey: process.env.USERHARBOR_API_KEY });

app.post("/login", uh.loginHandler());
app.post("/logout", uh.logoutHandler());
const me: express.RequestHandler = (req, res) => {
  res.json({ id: req.user?.accountId, username: req.user?.username });
};
app.get("/me", uh.requireUser(), me);
app.get("/me/strict", uh.requireUser({ strict: true }), me);
app.use(uh.errorHandler());

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`express example listening on port ${port}`));
