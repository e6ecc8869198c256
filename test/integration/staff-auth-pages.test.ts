import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import { totpAt } from "../../api/crypto/totp";
import { claimNextRoute } from "../../api/routes/staff-cases";
import { expectResponse } from "../helpers/contract";
import { realNameReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";
import { cookieOf, demoCustodianPassphrase, demoLogins, formSignIn } from "../helpers/sign-in";

// The staff login, account, logout and identity pages on the built server (embedded demo), driven
// with plain fetch the way a browser without JavaScript drives them.

let server: RunningServer;
let logins: Record<string, string>;
let custodianPassphrase: string;

function form(
  pathname: string,
  fields: Record<string, string>,
  opts: { cookie?: string; origin?: string | null } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (opts.origin !== null) headers.origin = opts.origin ?? server.origin;
  if (opts.cookie) headers.cookie = opts.cookie;
  return fetch(`${server.origin}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams(fields).toString(),
  });
}

const get = (pathname: string, cookie?: string) =>
  fetch(`${server.origin}${pathname}`, { redirect: "manual", headers: cookie ? { cookie } : {} });

async function signIn(username: string): Promise<string> {
  return formSignIn(server.origin, username, logins[username]);
}

beforeAll(async () => {
  await getSodium();
  server = await startServer({ DEMO: "on" });
  logins = Object.fromEntries(
    Object.entries(await demoLogins(server.dataDir)).map(([username, l]) => [username, l.password]),
  );
  custodianPassphrase = demoCustodianPassphrase(server.dataDir);
});
afterAll(async () => {
  await server?.stop();
});

describe("staff pages (no JavaScript)", () => {
  it("the demo start wrote the logins file and logged only its name", async () => {
    expect(Object.keys(logins).sort()).toEqual([
      "changsha.leader",
      "changsha.supervisor",
      "custodian",
      "province.integrity",
      "sheng.intake",
      "wangcheng.intake",
    ]);
    // The server's stdout reaches us through a pipe, possibly after the health check's answer.
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain("DEMO-LOGINS.txt");
    for (const pw of Object.values(logins)) expect(server.output()).not.toContain(pw);
  });

  it("shows the login form, uncached", async () => {
    const res = await get("/staff/login");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain("工作人员登录");
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/staff\/login"/);
    expect(html).toContain('autocomplete="one-time-code"');
  });

  it("signs in: 303 to /staff with the session cookie; a wrong password stays on the page with a message", async () => {
    const ok = await form("/staff/login", {
      username: "wangcheng.intake",
      password: logins["wangcheng.intake"],
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/staff");
    const set = ok.headers.get("set-cookie")!;
    expect(set).toMatch(/^qf_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const api = await fetch(`${server.origin}/api/v1/staff/session`, { headers: { cookie: cookieOf(ok) } });
    expect(api.status).toBe(200);

    const bad = await form("/staff/login", { username: "wangcheng.intake", password: "wrong password here" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("set-cookie")).toBeNull();
    const html = await bad.text();
    expect(html).toContain("用户名、密码或动态口令不正确。");
    expect(html).toContain('value="wangcheng.intake"');
    const unknown = await form("/staff/login", { username: "nobody", password: "wrong password here" });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("用户名、密码或动态口令不正确。");
  });

  it("refuses a cross-site login post", async () => {
    const res = await form(
      "/staff/login",
      { username: "wangcheng.intake", password: logins["wangcheng.intake"] },
      { origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("sends a visitor without a session from the account page to the login", async () => {
    const res = await get("/staff/account");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/staff/login");
    const forged = await get("/staff/account", `qf_staff=${Buffer.alloc(32, 1).toString("base64url")}`);
    expect(forged.status).toBe(303);
  });

  it("enrols TOTP on the account page: the current password first, then the secret as text and a current code", async () => {
    const cookie = await signIn("changsha.supervisor");
    const password = logins["changsha.supervisor"];
    const page = await get("/staff/account", cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const first = await page.text();
    // The cookie alone shows no secret: the page asks for the password.
    expect(first).not.toContain("otpauth://");
    expect(first).toContain('name="password"');
    const wrongPw = await form(
      "/staff/account",
      { intent: "begin", password: "not-my-password" },
      { cookie },
    );
    expect(wrongPw.status).toBe(422);
    const wrongHtml = await wrongPw.text();
    expect(wrongHtml).toContain("当前登录密码不正确");
    expect(wrongHtml).not.toContain("otpauth://");

    const begun = await form("/staff/account", { intent: "begin", password }, { cookie });
    expect(begun.status).toBe(200);
    const html = await begun.text();
    const uri = /otpauth:\/\/totp\/[^<"]+/.exec(html)![0].replace(/&amp;/g, "&");
    const secret = new URL(uri).searchParams.get("secret")!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(html).toContain(secret.match(/.{4}/g)!.join(" "));
    expect(html).not.toMatch(/<img|qrserver|chart\.googleapis/);

    const wrong = await form(
      "/staff/account",
      { intent: "confirm", password, code: totpAt(secret, new Date()) === "000000" ? "111111" : "000000" },
      { cookie },
    );
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("动态口令不正确");
    const ok = await form(
      "/staff/account",
      { intent: "confirm", password, code: totpAt(secret, new Date()) },
      { cookie },
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("动态口令已启用");

    // Now the login needs the code: without it, the same message as a wrong password.
    const noCode = await form("/staff/login", {
      username: "changsha.supervisor",
      password: logins["changsha.supervisor"],
    });
    expect(noCode.status).toBe(401);
  });

  it("logs out with a POST only, and the session is gone", async () => {
    const cookie = await signIn("sheng.intake");
    expect((await get("/staff/logout", cookie)).status).toBe(405);
    expect((await get("/staff/account", cookie)).status).toBe(200);
    const out = await form("/staff/logout", {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/staff/login?out=1");
    expect(out.headers.get("set-cookie")).toMatch(/^qf_staff=; Path=\/; Max-Age=0/);
    expect((await get("/staff/account", cookie)).status).toBe(303);
    expect(await (await get("/staff/login?out=1")).text()).toContain("您已退出登录。");
  });

  it("shows the custodian a case's identity once, after the passphrase and a reason", async () => {
    const filed = await fetch(`${server.origin}/api/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    expect(filed.status).toBe(201);
    const intake = await signIn("wangcheng.intake");
    const claim = await fetch(`${server.origin}/api/v1/staff/queue/claim`, {
      method: "POST",
      headers: { cookie: intake, origin: server.origin },
    });
    expect(claim.status).toBe(200);
    const caseId = (await expectResponse(claim, claimNextRoute, 200)).case.id;

    // Not a custodian: 403 and no form.
    const other = await get(`/staff/cases/${caseId}/identity`, intake);
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('name="passphrase"');

    const custodian = await signIn("custodian");
    const page = await get(`/staff/cases/${caseId}/identity`, custodian);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="passphrase"');

    const short = await form(
      `/staff/cases/${caseId}/identity`,
      { passphrase: custodianPassphrase, reason: "核实" },
      { cookie: custodian },
    );
    expect(short.status).toBe(422);
    const wrong = await form(
      `/staff/cases/${caseId}/identity`,
      { passphrase: "not the passphrase", reason: "需联系实名举报人补充证据材料" },
      { cookie: custodian },
    );
    expect(wrong.status).toBe(403);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain("保管口令不正确");
    expect(wrongHtml).not.toContain("王晓明");

    const ok = await form(
      `/staff/cases/${caseId}/identity`,
      { passphrase: custodianPassphrase, reason: "需联系实名举报人补充证据材料" },
      { cookie: custodian },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const html = await ok.text();
    expect(html).toContain("王晓明");
    expect(html).toContain("430102199003071234");
    expect(html).toContain("启封人：custodian");
    // A plain GET afterwards shows the form again, not the identity.
    expect(await (await get(`/staff/cases/${caseId}/identity`, custodian)).text()).not.toContain("王晓明");
  });
});

describe("APP_ROLE=public", () => {
  let pub: RunningServer;
  beforeAll(async () => {
    pub = await startServer({ APP_ROLE: "public", DEMO: "off" });
  });
  afterAll(async () => pub?.stop());

  it("has no staff pages", async () => {
    for (const p of [
      "/staff/login",
      "/staff/account",
      "/staff/cases/00000000-0000-4000-8000-000000000000/identity",
    ]) {
      const res = await fetch(`${pub.origin}${p}`, { redirect: "manual" });
      expect(res.status).toBe(404);
    }
    const post = await fetch(`${pub.origin}/staff/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: pub.origin },
    });
    expect(post.status).toBe(404);
  });
});
