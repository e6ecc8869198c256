import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

describe.each(dbKinds())("messages and replies between office and reporter on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2026-03-02T02:00:00Z");
  let county: { actor: StaffActor; cookie: string };
  let city: { actor: StaffActor; cookie: string };

  const json = { "content-type": "application/json" };
  const staffCall = async (who: { cookie: string }, method: string, path: string, body?: unknown) => {
    const res = await rig.app.request(path, {
      method,
      headers: staffHeaders(who.cookie),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    return { status: res.status, body: (await res.json()) as any };
  };
  const act = async (who: { cookie: string }, id: string, body: Record<string, unknown>) => {
    const r = await staffCall(who, "POST", `/api/v1/staff/cases/${id}/actions`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const claim = async (who: { cookie: string }, id: string) =>
    (await staffCall(who, "POST", `/api/v1/staff/cases/${id}/claim`)).body.leaseToken as string;
  const track = async (trackingCode: string) => {
    const res = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ trackingCode }),
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the public view is checked field by field
    return (await res.json()) as any;
  };
  const file = (report: Record<string, unknown>) => fileReport(rig, report);
  const tick = () => {
    now = new Date(now.getTime() + 60_000);
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    county = await createStaff(rig, { username: "wc.all", office: "430112", roles: ["intake", "handler"] });
    city = await createStaff(rig, { username: "cs.all", office: "430100", roles: ["intake", "handler"] });
  });
  afterAll(async () => rig?.destroy());

  it.each([
    ["real-name", () => realNameReport(), () => county],
    ["anonymous", () => anonymousReport(), () => city],
  ] as const)(
    "a %s reporter reads the office's messages and the reply; the office reads theirs",
    async (_label, report, staffOf) => {
      const staff = staffOf();
      const { id, code } = await file(report());
      const token = await claim(staff, id);
      tick();
      await act(staff, id, { action: "register", leaseToken: token });
      tick();
      await act(staff, id, { action: "message", leaseToken: token, body: "请补充2025年工程款支付凭证。" });

      let view = await track(code);
      expect(view.status).toBe("accepted");
      expect(view.messages).toEqual([
        { at: now.toISOString(), from: "office", body: "请补充2025年工程款支付凭证。" },
      ]);
      expect(view.timeline.map((e: { event: string }) => e.event)).toEqual([
        "received",
        "registered",
        "message",
      ]);

      tick();
      const add = await rig.app.request("/api/v1/track/messages", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ trackingCode: code, body: "已补充：付款凭证见附件说明，共三笔。" }),
      });
      expect(add.status).toBe(201);
      const staffView = await staffCall(staff, "GET", `/api/v1/staff/cases/${id}`);
      expect(staffView.body.messages).toEqual([
        expect.objectContaining({ from: "office", body: "请补充2025年工程款支付凭证。" }),
        {
          at: now.toISOString(),
          from: "reporter",
          body: "已补充：付款凭证见附件说明，共三笔。",
          identityWarnings: [],
          // 补充材料 stay unread until the office marks them read (issue 10 §5).
          read: false,
        },
      ]);
      expect(staffView.body.events.at(-1)).toMatchObject({ kind: "reporter_message", isPublic: true });

      tick();
      await act(staff, id, { action: "dispose", leaseToken: token, disposition: "preliminary_verification" });
      tick();
      // 办结 and 反馈 are two steps (the reply is what the reporter is told, with the 反馈).
      await act(staff, id, {
        action: "conclude",
        leaseToken: token,
        finding: "partly",
        result: "初步核实：部分属实，给予诫勉（内部结论）",
      });
      tick();
      const repliedAt = now;
      await act(staff, id, {
        action: "feedback",
        leaseToken: await claim(staff, id),
        method: "online",
        body: "经核实，您反映的问题部分属实，已依规依纪处理。感谢您的监督。",
        view: "not_stated",
      });
      view = await track(code);
      expect(view.status).toBe("concluded");
      expect(view.statusLabel).toBe("已办结");
      expect(view.reply).toEqual({
        at: repliedAt.toISOString(),
        body: "经核实，您反映的问题部分属实，已依规依纪处理。感谢您的监督。",
      });
      expect(view.timeline.map((e: { event: string }) => e.event)).toEqual([
        "received",
        "registered",
        "message",
        "reporter_message",
        "in_progress",
        "concluded",
        "feedback",
      ]);
      // The internal conclusion and the disposition never reach the reporter.
      expect(JSON.stringify(view)).not.toContain("诫勉");
      expect(JSON.stringify(view)).not.toContain("preliminary_verification");
      expect(JSON.stringify(view)).not.toContain("partly");
    },
  );

  it("tells the reporter why a report is not accepted and where to turn", async () => {
    const { id, code } = await file(realNameReport());
    const token = await claim(county, id);
    await act(county, id, {
      action: "decline",
      leaseToken: token,
      reason: "所反映问题属于民事纠纷，不属于纪检监察机关受理范围。",
      guidance: "请向望城区人民法院提起民事诉讼。",
    });
    const view = await track(code);
    expect(view.status).toBe("not_accepted");
    expect(view.notAccepted).toEqual({
      reason: "所反映问题属于民事纠纷，不属于纪检监察机关受理范围。",
      guidance: "请向望城区人民法院提起民事诉讼。",
    });
    // The office can still write to the reporter after declining.
    const again = await claim(county, id);
    await act(county, id, { action: "message", leaseToken: again, body: "如有新的线索，可重新举报。" });
    expect((await track(code)).messages.map((m: { from: string }) => m.from)).toEqual(["office"]);
  });

  it("shows the reporter 'handled by another office' when forwarded, not where or why", async () => {
    const { id, code } = await file(anonymousReport());
    const token = await claim(city, id);
    await act(city, id, {
      action: "forward",
      leaseToken: token,
      office: "430112",
      note: "内部备注：属望城区管辖",
    });
    const view = await track(code);
    expect(view.timeline.map((e: { event: string; label: string }) => [e.event, e.label])).toEqual([
      ["received", "举报已接收"],
      ["forwarded", "已转有关机关办理"],
    ]);
    expect(JSON.stringify(view)).not.toContain("内部备注");
  });
});
