import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "../../api/services/staff/cookie";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff } from "../helpers/staff";

/** Over TLS the session cookie is `__Host-qf_staff`, and only that name is read there. */
describe.each(dbKinds())("the session cookie's name on %s", (kind) => {
  let rig: TestRig;
  let password: string;
  let token: string;

  beforeAll(async () => {
    rig = await createRig(kind);
    const s = await createStaff(rig, { username: "cookie.intake", office: "430112", roles: ["intake"] });
    password = s.password;
    token = s.cookie.slice(s.cookie.indexOf("=") + 1);
  });
  afterAll(async () => rig?.destroy());

  const login = (url: string, headers: Record<string, string>) =>
    rig.app.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username: "cookie.intake", password }),
    });
  const me = (url: string, cookie: string, headers: Record<string, string> = {}) =>
    rig.app.request(url, { headers: { cookie, ...headers } });

  it("sets __Host-qf_staff with Secure and Path=/ and no Domain over https", async () => {
    const res = await login("https://localhost/api/v1/staff/session", { origin: "https://localhost" });
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie")!;
    expect(set.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
    expect(set).toContain("; Secure");
    expect(set).toContain("Path=/");
    expect(set).not.toMatch(/Domain=/i);
    const value = set.slice(set.indexOf("=") + 1, set.indexOf(";"));
    expect(
      (await me("https://localhost/api/v1/staff/session", `${SECURE_SESSION_COOKIE}=${value}`)).status,
    ).toBe(200);
  });

  it("behind a TLS proxy too (X-Forwarded-Proto: https)", async () => {
    const res = await login("http://localhost/api/v1/staff/session", {
      origin: "https://localhost",
      "x-forwarded-proto": "https",
    });
    expect(res.headers.get("set-cookie")!.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
  });

  it("does not read an unprefixed cookie on a TLS request (a planted cookie is ignored)", async () => {
    // A live session under the plain name, as a sibling subdomain or an http:// page could set it.
    expect((await me("https://localhost/api/v1/staff/session", `${SESSION_COOKIE}=${token}`)).status).toBe(
      401,
    );
    expect((await me("http://localhost/api/v1/staff/session", `${SESSION_COOKIE}=${token}`)).status).toBe(
      200,
    );
  });

  it("keeps the plain name without TLS, where browsers would refuse the prefix", async () => {
    const res = await login("http://localhost/api/v1/staff/session", { origin: "http://localhost" });
    const set = res.headers.get("set-cookie")!;
    expect(set.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(set).not.toContain("Secure");
  });

  it("clears the prefixed cookie on logout over https", async () => {
    const res = await rig.app.request("https://localhost/api/v1/staff/session", {
      method: "DELETE",
      headers: { origin: "https://localhost", cookie: `${SECURE_SESSION_COOKIE}=${token}` },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")!.startsWith(`${SECURE_SESSION_COOKIE}=;`)).toBe(true);
    expect((await me("http://localhost/api/v1/staff/session", `${SESSION_COOKIE}=${token}`)).status).toBe(
      401,
    );
  });
});
