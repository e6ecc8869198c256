// The leader rules (api/domain/leaders.ts) and the 文号 pattern (api/domain/document-number.ts).
import { describe, expect, it } from "vitest";
import type { Role } from "../../api/context";
import { CaseNumberPatternError } from "../../api/domain/case-number";
import {
  DEFAULT_DOCUMENT_NUMBER_PATTERN,
  formatDocumentNumber,
  parseDocumentNumberPattern,
} from "../../api/domain/document-number";
import {
  allowedLeaderActions,
  holdsConclusion,
  isMonth,
  judgeLeader,
  LEADER_ACTIONS,
  type LeaderFacts,
  leaderRuleFor,
  leaderRulesFor,
  monthBounds,
} from "../../api/domain/leaders";
import { LEADER_ACTION_LABELS, LEADER_RULE_LABELS, PUBLIC_EVENT_LABELS } from "../../messages/labels";

const facts = (over: Partial<LeaderFacts> = {}): LeaderFacts => ({
  stage: "registered",
  atOwnOffice: true,
  fromAbove: false,
  inLedger: false,
  closed: false,
  instructionPending: false,
  reviewOffice: null,
  reviewHeld: false,
  office: "430100",
  ...over,
});
const roles = (...r: Role[]) => r;

describe("leader actions", () => {
  it("the 信访室 puts a case before the leader; only the office's leader writes the 批示", () => {
    expect(allowedLeaderActions(facts(), roles("intake"))).toEqual(["submit_instruction", "mark"]);
    expect(judgeLeader("instruct", facts({ instructionPending: true }), roles("intake", "handler"))).toEqual({
      ok: false,
      why: "forbidden",
    });
    expect(judgeLeader("instruct", facts({ instructionPending: true }), roles("leader")).ok).toBe(true);
    expect(judgeLeader("instruct", facts(), roles("leader"))).toEqual({ ok: false, why: "illegal" });
    // A leader of an office above is not the case office's leader.
    expect(
      judgeLeader(
        "instruct",
        facts({ atOwnOffice: false, fromAbove: true, instructionPending: true }),
        roles("leader"),
      ).ok,
    ).toBe(false);
    expect(judgeLeader("submit_instruction", facts({ instructionPending: true }), roles("intake"))).toEqual({
      ok: false,
      why: "illegal",
    });
  });

  it("销号 only when concluded (and not held for review); 督办批示 only while active", () => {
    const ledger = facts({ inLedger: true });
    expect(judgeLeader("close", ledger, roles("leader"))).toEqual({ ok: false, why: "illegal" });
    expect(judgeLeader("close", { ...ledger, stage: "concluded" }, roles("leader")).ok).toBe(true);
    expect(
      judgeLeader("close", { ...ledger, stage: "concluded", reviewHeld: true }, roles("leader")).ok,
    ).toBe(false);
    expect(judgeLeader("close", { ...ledger, stage: "concluded", closed: true }, roles("leader")).ok).toBe(
      false,
    );
    expect(judgeLeader("supervise", ledger, roles("leader")).ok).toBe(true);
    expect(judgeLeader("supervise", { ...ledger, stage: "declined" }, roles("leader")).ok).toBe(false);
    expect(judgeLeader("supervise", facts(), roles("leader"))).toEqual({ ok: false, why: "forbidden" });
  });

  it("提级 from above only, by a leader or supervisor; the review is decided by the reviewing office", () => {
    const above = facts({ atOwnOffice: false, fromAbove: true });
    expect(judgeLeader("pull_up", above, roles("supervisor")).ok).toBe(true);
    expect(judgeLeader("pull_up", above, roles("intake")).ok).toBe(false);
    expect(judgeLeader("pull_up", facts(), roles("leader"))).toEqual({ ok: false, why: "forbidden" });
    expect(judgeLeader("pull_up", { ...above, stage: "concluded" }, roles("leader"))).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judgeLeader("review_up", { ...above, reviewOffice: "430100" }, roles("leader")).ok).toBe(false);
    const held = { ...above, stage: "concluded" as const, reviewOffice: "430100", reviewHeld: true };
    expect(judgeLeader("approve_review", held, roles("leader")).ok).toBe(true);
    expect(judgeLeader("return_review", { ...held, office: "430000" }, roles("leader"))).toEqual({
      ok: false,
      why: "forbidden",
    });
    expect(judgeLeader("approve_review", { ...held, reviewHeld: false }, roles("leader"))).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(holdsConclusion("conclude", "430100")).toBe(true);
    expect(holdsConclusion("conclude", null)).toBe(false);
    expect(holdsConclusion("dispose", "430100")).toBe(false);
    // 销号 of a 交办's result is the conclusion too, unless an office further up still awaits it.
    expect(holdsConclusion("approve", "430100")).toBe(true);
    expect(holdsConclusion("approve", "430100", "430000")).toBe(false);
    expect(holdsConclusion("approve", null)).toBe(false);
  });

  it("marks 市管干部 cases at city offices as 书记阅批件 (Hunan's rule)", () => {
    const rules = leaderRulesFor("430000");
    expect(leaderRuleFor(rules, { code: "430300", level: "city" }, "city")?.id).toBe("city_cadre");
    expect(leaderRuleFor(rules, { code: "430300", level: "city" }, "county")).toBeUndefined();
    expect(leaderRuleFor(rules, { code: "430112", level: "county" }, "city")).toBeUndefined();
    expect(
      leaderRuleFor(leaderRulesFor("110000"), { code: "110100", level: "city" }, "city"),
    ).toBeUndefined();
    for (const r of rules) expect(LEADER_RULE_LABELS[r.id]?.zh).toMatch(/\p{Script=Han}/u);
  });

  it("has a label for every action and every public event it writes", () => {
    expect(Object.keys(LEADER_ACTION_LABELS).sort()).toEqual([...LEADER_ACTIONS].sort());
    expect(PUBLIC_EVENT_LABELS.pulled_up.zh).toBe("已由上级机关提级办理");
    expect(PUBLIC_EVENT_LABELS.review_approved.zh).toBe("已办结");
  });

  it("bounds a month in Asia/Shanghai", () => {
    expect(monthBounds("2026-03")).toEqual({
      start: new Date("2026-02-28T16:00:00Z"),
      end: new Date("2026-03-31T16:00:00Z"),
      lastDay: "2026-03-31",
    });
    expect(monthBounds("2026-12").lastDay).toBe("2026-12-31");
    expect(monthBounds("2028-02").lastDay).toBe("2028-02-29");
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth("2026-1")).toBe(false);
    expect(isMonth("2026-01")).toBe(true);
  });
});

describe("文号", () => {
  it("reads like the case number with the form's word", () => {
    const p = parseDocumentNumberPattern(DEFAULT_DOCUMENT_NUMBER_PATTERN);
    expect(formatDocumentNumber(p, "forwarded", { office: "长沙", year: 2026, seq: 3 })).toBe(
      "长沙纪转〔2026〕3号",
    );
    expect(formatDocumentNumber(p, "assigned", { office: "长沙", year: 2026, seq: 12 })).toBe(
      "长沙纪交〔2026〕12号",
    );
    expect(formatDocumentNumber(p, "supervision", { office: "望城", year: 2027, seq: 1 })).toBe(
      "望城纪督〔2027〕1号",
    );
    const padded = parseDocumentNumberPattern("{office}{kind}字〔{year}〕第{n:3}号");
    expect(formatDocumentNumber(padded, "forwarded", { office: "湘潭", year: 2026, seq: 7 })).toBe(
      "湘潭转字〔2026〕第007号",
    );
    expect(() => parseDocumentNumberPattern("{office}{kind}{n}号")).toThrow(CaseNumberPatternError);
  });
});
