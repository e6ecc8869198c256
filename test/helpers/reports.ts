/** A valid real-name report about a 县管 cadre in 望城区, with the reporter named in the narrative. */
export function realNameReport(overrides: Record<string, unknown> = {}) {
  return {
    type: "accusation",
    realName: true,
    reporter: {
      name: "王晓明",
      idNumber: "430102199003071234",
      phone: "13912345678",
      address: "长沙市岳麓区麓山南路1号",
    },
    subject: {
      name: "李四",
      unit: "望城区交通运输局",
      position: "局长",
      managementLevel: "county",
      divisionCode: "430112",
    },
    category: "integrity",
    title: "反映李四收受工程款回扣问题（王晓明实名）",
    body: "我叫王晓明，身份证号430102199003071234，手机139 1234 5678，邮箱wxm@example.com。李四在2025年修路工程中收受承包商回扣。",
    ...overrides,
  };
}

export function anonymousReport(overrides: Record<string, unknown> = {}) {
  return {
    type: "accusation",
    realName: false,
    subject: {
      name: "赵六",
      unit: "长沙市住房和城乡建设局",
      position: "副局长",
      managementLevel: "city",
      divisionCode: "430100",
    },
    category: "work",
    title: "反映赵六违规审批问题",
    body: "赵六在审批某楼盘预售许可时违规放行，造成群众损失，请予调查。",
    ...overrides,
  };
}

export const REPORTER_SECRETS = ["王晓明", "430102199003071234", "13912345678", "wxm@example.com"];

/**
 * The names of the report form's own fields, as a browser posts them: the tests' list, kept apart
 * from the form's code so that a field the code drops is noticed.
 */
export const REPORT_FORM_FIELDS = [
  "type",
  "realName",
  "reporter.kind",
  "reporter.name",
  "reporter.idNumber",
  "reporter.phone",
  "reporter.address",
  "reporter.email",
  "subject.name",
  "subject.unit",
  "subject.position",
  "subject.managementLevel",
  "divisionCode",
  "subject.isDisciplineStaff",
  "subject.isPrincipalLeader",
  "appeal.decision",
  "appeal.decidingBody",
  "appeal.decisionDate",
  "appeal.officeCode",
  "category",
  "title",
  "body",
] as const;
