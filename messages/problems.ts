// The words of the API's problems (problem+json, DESIGN.md): a title for each problem type and
// a detail for each detail code. A Problem carries only the codes (api/errors.ts); the words
// are looked up when its body is made. zh-CN first, en second.
import { type Message, type ParamsOf, say, type Text } from "./text";

/** Titles, by problem type: the closed list of `type`s the API answers. */
export const PROBLEM_TITLES = {
  malformed: { zh: "请求格式错误", en: "Malformed request" },
  "too-large": { zh: "内容过大", en: "Payload too large" },
  "unsupported-media-type": { zh: "不支持的内容类型", en: "Unsupported media type" },
  "invalid-fields": { zh: "填写的内容有误", en: "Some fields are invalid" },
  "not-found": { zh: "未找到", en: "Not found" },
  unauthorized: { zh: "未登录或登录已过期", en: "Not signed in" },
  forbidden: { zh: "无权操作", en: "Forbidden" },
  conflict: { zh: "操作冲突", en: "Conflict" },
  throttled: { zh: "请求过于频繁", en: "Too many requests" },
  unavailable: { zh: "服务暂不可用", en: "Service unavailable" },
  busy: { zh: "服务繁忙", en: "Server busy" },
  internal: { zh: "服务器内部错误", en: "Internal error" },
  csrf: { zh: "跨站请求被拒绝", en: "Cross-site request refused" },
  "totp-enrolment-required": { zh: "需要绑定动态口令", en: "Two-factor sign-in required" },
  "wrong-passphrase": { zh: "无权操作", en: "Forbidden" },
  "anonymous-case": { zh: "匿名举报没有联系方式", en: "Anonymous report" },
  "request-pending": { zh: "已有待审批的申请", en: "A request is already pending" },
  "request-decided": { zh: "该申请已处理", en: "Already decided" },
  /** Also the title of a request that is still pending when its contact details are asked for. */
  "request-denied": { zh: "申请未获批准", en: "Not approved" },
  /** An approved request whose grant is gone: there is nothing to show. */
  "request-approved": { zh: "申请未获批准", en: "Not approved" },
  "own-request": { zh: "不能审批本人的申请", en: "Your own request" },
  "grant-expired": { zh: "查看期限已过", en: "Access expired" },
  "anchor-invalid": { zh: "锚点文件无效", en: "The anchor file is not valid" },
  "trail-broken": { zh: "办理轨迹校验失败", en: "Trail verification failed" },
} as const satisfies Record<string, Text>;

export type ProblemType = keyof typeof PROBLEM_TITLES;

/** Details, by code: what happened and what to do. */
export const PROBLEM_DETAILS = {
  // The request itself (api/http/body.ts, the routes).
  "body.not_json": { zh: "请求体不是有效的 JSON。", en: "The request body is not valid JSON." },
  "body.not_ijson": {
    zh: "JSON 含孤立代理项（无效的 Unicode 字符），请删除后重新提交。",
    en: "The JSON holds a lone surrogate (an invalid Unicode character): remove it and submit again.",
  },
  "body.too_deep": { zh: "JSON 嵌套过深。", en: "The JSON is nested too deeply." },
  "body.too_large": { zh: "请求体过大。", en: "The request body is too large." },
  "body.media_type": {
    zh: "请使用 application/json 或 multipart/form-data。",
    en: "Use application/json or multipart/form-data.",
  },
  "multipart.malformed": { zh: "multipart 格式错误。", en: "The multipart body could not be read." },
  "multipart.report_not_json": {
    zh: "report 部分不是有效的 JSON。",
    en: "The report part is not valid JSON.",
  },
  "file.not_json": { zh: "文件不是有效的 JSON。", en: "The file is not valid JSON." },
  "fields.invalid": {
    zh: "请按提示修改后重新提交。",
    en: "Please correct the fields listed and submit again.",
  },
  // Load and failure.
  throttled: ({ retryAfterSeconds: s }: { retryAfterSeconds: number }) => ({
    zh: `请 ${s} 秒后再试。`,
    en: `Please try again in ${s} seconds.`,
  }),
  unavailable: {
    zh: "请稍后再试，您提交的内容没有被保存。",
    en: "Please try again shortly; nothing was stored.",
  },
  "kdf.busy": ({ retryAfterSeconds: s }: { retryAfterSeconds: number }) => ({
    zh: `登录请求过多，请 ${s} 秒后再试。`,
    en: `Too many sign-ins at once: please try again in ${s} seconds.`,
  }),
  internal: ({ requestId }: { requestId?: string }) => ({
    zh: `请稍后再试；如问题持续，请提供编号 ${requestId}。`,
    en: `Please try again later; quote ${requestId} if it persists.`,
  }),
  // Staff sign-in and account.
  "session.unauthorized": {
    zh: "用户名、密码或动态口令不正确，或会话已过期。",
    en: "Wrong credentials or expired session.",
  },
  "session.cross_site": {
    zh: "请求缺少同源的 Origin 头，请从本系统页面操作。",
    en: "The request did not come from this site's own pages (Origin header missing or foreign).",
  },
  "totp.enrolment_required": {
    zh: "本系统要求使用动态口令（TOTP）登录，您的账号尚未绑定。请联系系统管理员为您绑定后再登录。",
    en: "This deployment requires a one-time code (TOTP) and your account has none yet: ask an administrator to enrol it.",
  },
  "totp.wrong": {
    zh: "动态口令不正确或已使用，请输入验证器中当前显示的 6 位数字。",
    en: "Wrong or used code: type the 6 digits your app shows now.",
  },
  "totp.already_enabled": { zh: "动态口令已绑定。", en: "TOTP is already enabled." },
  "totp.not_started": { zh: "请先生成密钥。", en: "Start the enrolment first." },
  "totp.not_enabled": { zh: "动态口令尚未绑定。", en: "TOTP is not enabled." },
  "password.wrong": { zh: "当前密码不正确。", en: "The current password is wrong." },
  "staff.username_taken": ({ username }: { username: string }) => ({
    zh: `用户名 ${username} 已存在。`,
    en: `Username ${username} already exists.`,
  }),
  "staff.unknown": ({ username }: { username: string }) => ({
    zh: `没有用户 ${username}。`,
    en: `No staff member ${username}.`,
  }),
  // Cases and the queue.
  "case.not_found": { zh: "未找到该信访件，或不在您的权限范围内。", en: "No such case in your scope." },
  "case.action_illegal": ({ action }: { action: string }) => ({
    zh: `此信访件当前不能执行「${action}」。`,
    en: "This step is not allowed for the case as it stands now.",
  }),
  "case.lease_lost": {
    zh: "签收已过期或本件已被他人签收，请刷新后重新签收。",
    en: "Your signing for this case expired or someone else signed for it: reload and sign for it again.",
  },
  "case.read_only": {
    zh: "上级机关可以查看和督办，但不能代为办理下级机关的信访件。",
    en: "A higher office may read and press this case, not act on it.",
  },
  "case.roles_forbid": { zh: "您的角色不能执行此操作。", en: "Your roles do not allow this action." },
  "case.held": { zh: "本件已由他人签收。", en: "Someone else has signed for this case." },
  "queue.no_role": {
    zh: "您的角色不签收信访件（需要受理或承办角色）。",
    en: "Your roles do not sign for cases (intake or handler needed).",
  },
  "intake.no_role": {
    zh: "只有信访室（受理角色）可以登记来信、来访、来电和交办件。",
    en: "Only the 信访室 (intake role) registers letters, visits, calls and cases assigned from above.",
  },
  "batch.no_role": {
    zh: "您的角色不能批量处理信访件。",
    en: "Your roles do not allow batch work on cases.",
  },
  "queue.from_above": {
    zh: "上级机关不能签收下级机关的信访件。",
    en: "A higher office does not sign for the cases of an office below.",
  },
  "queue.nothing_to_do": {
    zh: "您的角色对此阶段的信访件没有可办事项。",
    en: "Your roles have nothing to do on a case at this stage.",
  },
  // 形势分析 (issue 12 §1): supervisors and leaders read the statistics of their office and below.
  "stats.forbidden": {
    zh: "形势分析仅供督办人员和领导查看。",
    en: "The statistics are for supervisors and leaders.",
  },
  // 领导批示, 书记阅批件, 提级办理/提级审核 (api/domain/leaders.ts).
  "leader.forbidden": {
    zh: "您的角色或所在机关不能办理此事项（批示、销号、督办批示须本机关领导；提级须上级机关的领导或督办人员）。",
    en: "Your roles or your office do not allow this (an instruction, closing or pressing needs a leader of the office; taking up or reviewing needs a leader or supervisor of an office above).",
  },
  "leader.action_illegal": ({ action }: { action: string }) => ({
    zh: `此信访件当前不能「${action}」。`,
    en: "This step is not possible for the case as it stands now.",
  }),
  // The reporter's side.
  "tracking_code.unknown": {
    zh: "查询码不存在，请核对后重试。",
    en: "No report has this tracking code.",
  },
  "idempotency.reused": {
    zh: "此 Idempotency-Key 已用于另一份不同的举报。",
    en: "This Idempotency-Key was already used for a different report.",
  },
  "attachment.not_found": { zh: "未找到该附件。", en: "No such attachment." },
  // The reporter's identity: 启封 and the dual control of contact details.
  "identity.unseal_forbidden": {
    zh: "只有身份保管员（custodian）凭本人保管口令才能查看举报人身份。",
    en: "Only a vault custodian with their passphrase may see a reporter's identity.",
  },
  "vault.wrong_passphrase": {
    zh: "保管口令不正确，本次尝试已记录。",
    en: "Wrong vault passphrase; the attempt was recorded.",
  },
  "identity_request.not_found": {
    zh: "未找到该申请，或您无权查看。",
    en: "No such identity request in your scope.",
  },
  "identity_request.no_requester_role": {
    zh: "您没有申请查看举报人联系方式的权限（identity_requester）。",
    en: "You lack the identity_requester permission.",
  },
  "identity_request.not_custodian": {
    zh: "只有身份保管员（custodian）才能审批。",
    en: "Only a vault custodian may decide identity requests.",
  },
  "identity_request.not_holder": {
    zh: "只有本件的现办理机关才能申请查看举报人联系方式。",
    en: "Only the office holding the case may request the reporter's contact details.",
  },
  "identity_request.anonymous": {
    zh: "本件为匿名举报，没有举报人联系方式可以申请。",
    en: "This case was reported anonymously: there are no contact details to request.",
  },
  "identity_request.pending_exists": {
    zh: "您对本件已有一件待审批的申请，请等待身份保管员处理。",
    en: "You already have a pending request on this case.",
  },
  "identity_request.decided": {
    zh: "该申请已由他人审批或已失效。",
    en: "The request was already decided or has expired.",
  },
  "identity_request.own": {
    zh: "不能批准本人提出的申请，请由另一位身份保管员审批。",
    en: "You may not approve your own request: another custodian must.",
  },
  "identity_request.still_pending": {
    zh: "申请尚待身份保管员审批。",
    en: "The request is still waiting for a custodian.",
  },
  "identity_request.denied": { zh: "申请未获批准。", en: "The request was denied." },
  "identity_grant.expired": {
    zh: "查看期限已过，联系方式已删除。如仍需要，请重新申请。",
    en: "The access period is over and the details were erased; request again if needed.",
  },
  // 党风廉政意见回复: the five-year person history and person records (docs/notes-person.md).
  "person_history.no_role": {
    zh: "只有承办党风廉政意见回复的人员（integrity_reply）才能查询人员信访史。",
    en: "Only staff who answer integrity-opinion requests (integrity_reply) may search a person's history.",
  },
  "person_history.not_found": {
    zh: "未找到该查询记录，或它不是您本人的查询。",
    en: "No such search of yours.",
  },
  "person.not_found": { zh: "未找到该人员档案。", en: "No such person record." },
  "person.link_forbidden": {
    zh: "只有承办党风廉政意见回复的人员，或本件现办理机关的受理、承办人员，才能确认或取消关联。",
    en: "Only integrity_reply staff, or intake and handlers of the office holding the case, may link or unlink it.",
  },
  "person.case_linked": {
    zh: "本件的被反映人已确认为另一人员档案；请先取消那项关联。",
    en: "This case's person reported is already linked to another person record: unlink it there first.",
  },
  "person.link_not_found": {
    zh: "本件未关联到该人员档案。",
    en: "This case is not linked to that person record.",
  },
  "person.id_taken": {
    zh: "已有另一人员档案登记了这个身份证号。",
    en: "Another person record already holds this ID number.",
  },
  // The admin CLI's trail check: the facts come from the verifier, in English.
  "trail.anchor_invalid": ({ file, why }: { file: string; why: string }) => ({
    zh: "锚点文件无效。",
    en: `${file}: ${why}`,
  }),
  "trail.broken": ({ summary }: { summary: string }) => ({ zh: "哈希链校验未通过。", en: summary }),
  "reconciliation.roles": {
    zh: "只有本机关或上级机关的督办人员、领导可以生成对账表。",
    en: "Only a supervisor or leader of this office or an office above it produces its reconciliation.",
  },
  "reconciliation.invalid": ({ why }: { why: string }) => ({ zh: "对账文件无效。", en: why }),
  "reconciliation.broken": ({ summary }: { summary: string }) => ({
    zh: "对账核验未通过：下级机关的办理轨迹与签名时不一致。",
    en: summary,
  }),
  "cadre.roles": {
    zh: "省管干部信访件月报仅限省纪委监委的指定人员（省管干部月报角色）和领导查看。",
    en: "The monthly summary on province-managed cadres is for named staff (cadre_report) and leaders of the province office only.",
  },
} as const satisfies Record<string, Message>;

export type ProblemDetail = keyof typeof PROBLEM_DETAILS;

/** A detail: its code alone, or its code and parameters when the message takes some. */
export type DetailRef = {
  [C in ProblemDetail]: ParamsOf<(typeof PROBLEM_DETAILS)[C]> extends [params: infer P] ? readonly [C, P] : C;
}[ProblemDetail];

export function problemTitle(type: ProblemType): Text {
  return PROBLEM_TITLES[type];
}

export function problemDetail(ref: DetailRef): Text {
  if (typeof ref === "string") return say(PROBLEM_DETAILS[ref] as Text);
  const [code, params] = ref;
  return (PROBLEM_DETAILS[code] as (p: typeof params) => Text)(params);
}
