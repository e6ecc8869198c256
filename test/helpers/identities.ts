import fc from "fast-check";
import { idNumberCheckChar } from "../../api/domain/id-number";
import { REDACTED } from "../../api/domain/redact";

/**
 * Generators of reporter identities and of the ways people type them into a narrative, for the
 * redaction property tests (unit and integration).
 */

/** Sentences of a narrative: no digits, no @, nothing of a name. */
export const FILLER = [
  "反映问题如下",
  "该局长在工程招标中收受承包商好处费",
  "多次在酒店接受宴请",
  "群众意见很大",
  "请上级纪委调查处理",
  "相关证据可以提供",
  "此事发生在去年秋天",
  "他还安排亲属承揽项目",
];
/** Place names: facts of the case that must survive redaction. */
export const PLACES = {
  city: ["长沙市", "株洲市", "湘潭市", "衡阳市"],
  district: ["岳麓区", "芙蓉区", "天心区", "雨花区", "开福区"],
  street: ["麓山南路", "五一大道", "韶山北路", "人民中路", "芙蓉中路"],
  town: ["金井镇", "黄花镇", "星沙街道"],
  village: ["白沙村", "新河村", "青山村"],
};
// Cue words and the words the narrative wraps identifiers in.
const CUES = "身份证证件号尾后四六末位我叫手机邮箱家住事情发生在附近的";
const forbidden = new Set([
  ...FILLER.join(""),
  ...Object.values(PLACES).flat().join(""),
  ...REDACTED,
  ...CUES,
]);

const SURNAMES = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹孟熊秦邱尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤",
]
  .filter((c) => !forbidden.has(c))
  .concat(["欧阳", "司马", "诸葛"]);
const GIVEN = [
  ..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力兰晓鹏飞宇浩欣怡婷雪琳峰志春梅鑫波斌宁凯俊",
].filter((c) => !forbidden.has(c));

export interface Identity {
  name: string;
  idNumber: string;
  phone: string;
  email: string;
  address: string;
  /** The address's most specific part (what must not survive), e.g. 932号5栋2单元301室 or 白沙村3组. */
  specific: string;
  /** The place names of the address (which may be written on their own, and then survive). */
  places: string[];
}

const digitsOf = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });

export const nameArb = fc
  .tuple(fc.constantFrom(...SURNAMES), fc.array(fc.constantFrom(...GIVEN), { minLength: 1, maxLength: 2 }))
  .map(([s, g]) => (s + g.join("")).slice(0, 4));

export const idNumberArb = fc
  .tuple(
    fc.constantFrom("430102", "430104", "430111", "110105", "440305", "310101", "430121"),
    fc.date({
      min: new Date("1950-01-01T00:00:00Z"),
      max: new Date("2005-12-31T00:00:00Z"),
      noInvalidDate: true,
    }),
    digitsOf(3),
  )
  .map(([area, d, seq]) => {
    const first17 = `${area}${d.toISOString().slice(0, 10).replaceAll("-", "")}${seq.join("")}`;
    return first17 + idNumberCheckChar(first17);
  });

export const mobileArb = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digitsOf(9))
  .map(([b, rest]) => `1${b}${rest.join("")}`);

export const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{2,9}$/),
    fc.constantFrom("qq.com", "163.com", "example.com", "mail.hn.gov.cn", "126.com"),
  )
  .map(([local, domain]) => `${local}@${domain}`);

export const addressArb: fc.Arbitrary<Pick<Identity, "address" | "specific" | "places">> = fc.oneof(
  fc
    .record({
      city: fc.constantFrom(...PLACES.city),
      district: fc.constantFrom(...PLACES.district),
      street: fc.constantFrom(...PLACES.street),
      no: fc.integer({ min: 1, max: 999 }),
      building: fc.integer({ min: 1, max: 30 }),
      unit: fc.integer({ min: 1, max: 6 }),
      room: fc.integer({ min: 101, max: 2808 }),
      kind: fc.constantFrom("栋", "幢"),
    })
    .map((a) => {
      const specific = `${a.no}号${a.building}${a.kind}${a.unit}单元${a.room}室`;
      return {
        address: `${a.city}${a.district}${a.street}${specific}`,
        specific,
        places: [a.district, a.street],
      };
    }),
  fc
    .record({
      town: fc.constantFrom(...PLACES.town),
      village: fc.constantFrom(...PLACES.village),
      group: fc.integer({ min: 1, max: 12 }),
    })
    .map((a) => ({
      address: `长沙县${a.town}${a.village}${a.group}组`,
      specific: `${a.village}${a.group}组`,
      places: [a.town, a.village],
    })),
);

export const identityArb: fc.Arbitrary<Identity> = fc
  .record({
    name: nameArb,
    idNumber: idNumberArb,
    phone: mobileArb,
    email: emailArb,
    addr: addressArb,
  })
  .map(({ addr, ...rest }) => ({ ...rest, ...addr }));

// --- Forms: how a value is typed ---

const SEPS = [" ", "-", ".", "/", "　", "·", "_", "－", "，", " - ", "．", "、"];
const fullWidth = (s: string) =>
  s.replace(/[0-9A-Za-z@.+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Digits (and a final X) typed: plain, full-width, grouped or split at every digit, mixed. */
export function digitsForm(value: string): fc.Arbitrary<string> {
  return fc
    .record({
      width: fc.constantFrom("half", "full", "mixed"),
      split: fc.constantFrom("none", "groups", "every"),
      sep: fc.constantFrom(...SEPS),
      cuts: fc.array(fc.integer({ min: 1, max: Math.max(1, value.length - 1) }), { maxLength: 4 }),
      lowerX: fc.boolean(),
      mask: fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length }),
    })
    .map((f) => {
      let chars = [...(f.lowerX ? value.toLowerCase() : value)];
      if (f.width === "full") chars = chars.map(fullWidth);
      if (f.width === "mixed") chars = chars.map((c, i) => (f.mask[i] ? fullWidth(c) : c));
      if (f.split === "every") return chars.join(f.sep);
      if (f.split === "groups") {
        const cuts = new Set(f.cuts);
        return chars.map((c, i) => (cuts.has(i) ? f.sep + c : c)).join("");
      }
      return chars.join("");
    });
}

/** How each digit may be written when a number is written out in Chinese (or read aloud). */
const CN_FORMS: string[][] = [
  ["〇", "零", "零"],
  ["一", "幺", "壹"],
  ["二", "两", "贰"],
  ["三", "三", "叁"],
  ["四", "四", "肆"],
  ["五", "五", "伍"],
  ["六", "六", "陆"],
  ["七", "七", "柒"],
  ["八", "八", "捌"],
  ["九", "九", "玖"],
];

/**
 * Digits (and a final X) written in Chinese numerals (一三九…, 幺 for 1, 两 for 2, capitals 壹贰叁),
 * each digit possibly left ASCII or full-width instead, and (`letterO`, for numbers without an
 * X) a zero possibly written as the letter O: 一三九 1234 五六七八, 1三8OO138OOO. Split by
 * separators as in `digitsForm`.
 */
export function chineseDigitsForm(value: string, letterO = false): fc.Arbitrary<string> {
  const n = value.length;
  return fc
    .record({
      how: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
      split: fc.constantFrom("none", "groups", "every"),
      sep: fc.constantFrom(...SEPS),
      cuts: fc.array(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 4 }),
    })
    .map((f) => {
      const chars = [...value].map((c, i) => {
        const h = f.how[i];
        if (!/\d/.test(c)) return h % 2 ? c.toLowerCase() : c;
        // Mostly Chinese: 0–5 Chinese (three kinds), 6 ASCII, 7 full-width, 8–9 letter O or Chinese.
        if (h <= 5) return CN_FORMS[Number(c)][h % 3];
        if (h === 6) return c;
        if (h === 7) return fullWidth(c);
        if (c === "0" && letterO) return h === 8 ? "O" : "o";
        return CN_FORMS[Number(c)][0];
      });
      if (f.split === "every") return chars.join(f.sep);
      if (f.split === "groups") {
        const cuts = new Set(f.cuts);
        return chars.map((c, i) => (cuts.has(i) ? f.sep + c : c)).join("");
      }
      return chars.join("");
    });
}

export function nameForm(name: string): fc.Arbitrary<string> {
  return fc
    .record({ split: fc.constantFrom("none", "every", "one"), sep: fc.constantFrom(...SEPS), at: fc.nat() })
    .map((f) => {
      const chars = [...name];
      if (f.split === "every") return chars.join(f.sep);
      if (f.split === "one") {
        const at = 1 + (f.at % (chars.length - 1));
        return chars.slice(0, at).join("") + f.sep + chars.slice(at).join("");
      }
      return name;
    });
}

export function phoneForm(phone: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom("", "+86", "+86 ", "86", "0086 ", "＋８６", "+86-"), digitsForm(phone))
    .map(([p, d]) => p + d);
}

export function idForm(id: string): fc.Arbitrary<string> {
  const legacy = id.slice(6, 8) === "19" ? id.slice(0, 6) + id.slice(8, 17) : id;
  return fc.constantFrom(id, legacy).chain(digitsForm);
}

export function emailForm(email: string): fc.Arbitrary<string> {
  return fc
    .constantFrom("plain", "upper", "full", "spaced")
    .map((f) =>
      f === "upper"
        ? email.toUpperCase()
        : f === "full"
          ? fullWidth(email)
          : f === "spaced"
            ? email.replace("@", " @ ").replaceAll(".", " . ")
            : email,
    );
}

export function addressForm(id: Identity): fc.Arbitrary<string> {
  return fc
    .record({
      which: fc.constantFrom("full", "specific", "spaced", "fullwidth"),
      sep: fc.constantFrom(" ", "　", "-", "，"),
    })
    .map((f) => {
      if (f.which === "full") return id.address;
      if (f.which === "fullwidth") return fullWidth(id.specific);
      if (f.which === "spaced") return id.specific.replace(/(号|栋|幢|单元)/g, `$1${f.sep}`);
      return id.specific;
    });
}

/** What may stand right next to an identifier: Chinese text, digits, Latin letters, nothing. */
export const surround = fc.constantFrom("", "我", "，", "：", "7", "12", "ab", "Z", "（", "的");

/** A narrative with every identifier of `id` typed in some form, and the place names on their own. */
export function narrativeArb(id: Identity): fc.Arbitrary<string> {
  const piece = (form: fc.Arbitrary<string>) =>
    fc.tuple(surround, form, surround).map(([a, v, b]) => `${a}${v}${b}`);
  return fc
    .tuple(
      piece(nameForm(id.name)),
      piece(idForm(id.idNumber)),
      piece(phoneForm(id.phone)),
      piece(emailForm(id.email)),
      piece(addressForm(id)),
      fc.array(fc.constantFrom(...FILLER), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([name, idn, phone, email, address, filler, shuffle]) => {
      const parts = [
        `我叫${name}`,
        `身份证号${idn}`,
        `手机${phone}`,
        `邮箱${email}`,
        `家住${address}`,
        ...filler,
        ...id.places.map((p) => `事情发生在${p}附近`),
      ];
      if (shuffle) parts.reverse();
      return `${parts.join("。")}。`;
    });
}

/**
 * Subject fields (the person reported) with the reporter's identifiers typed into them: the name
 * field holding the reporter's own name or the official's, the unit with the reporter's name and
 * phone, the position with the ID number. Within the field limits (50/100/50 characters): a form
 * too long for its field is typed plainly instead.
 */
export function subjectArb(id: Identity): fc.Arbitrary<{ name: string; unit: string; position: string }> {
  const within = (max: number, v: string, plain: string) => (v.length <= max ? v : plain);
  return fc
    .record({
      ownName: fc.boolean(),
      name: nameForm(id.name),
      phone: phoneForm(id.phone),
      idn: idForm(id.idNumber),
      unitName: fc.constantFrom("望城区交通运输局", "长沙市住房和城乡建设局", "岳麓区教育局"),
    })
    .map((f) => ({
      name: f.ownName ? within(50, f.name, id.name) : "李四",
      unit: within(
        100,
        `${f.unitName}（举报人${f.name}，电话${f.phone}）`,
        `${f.unitName}（举报人${id.name}，电话${id.phone}）`,
      ),
      position: within(50, `局长 身份证${f.idn}`, `局长 身份证${id.idNumber}`),
    }));
}

const CN = [..."零一二三四五六七八九"];
/** How a number of an address level is read out: 5 → 五, 12 → 十二, 301 → 三零一. */
function chineseNumeral(n: number): string {
  if (n < 10) return CN[n];
  if (n < 100) return `${n >= 20 ? CN[Math.floor(n / 10)] : ""}十${n % 10 ? CN[n % 10] : ""}`;
  return [...String(n)].map((d) => CN[Number(d)]).join("");
}

/**
 * The red-team's forms of a reporter's identifiers (each standing between non-digit text): the
 * mobile's last four after other cue words, the mobile masked, the flat's levels skipping one,
 * partial, alone, dash-joined or in Chinese numerals: [what stays (a cue word), what must go];
 * for a village address only the phone forms.
 */
export function redTeamForm(id: Identity): fc.Arbitrary<[string, string]> {
  const tail = id.phone.slice(7);
  const phone = fc.oneof(
    fc
      .constantFrom("手机尾数", "末尾是", "最后四个数字是", "后四个数字为", "尾4位")
      .map((c): [string, string] => [c, tail]),
    fc
      .tuple(fc.constantFrom("****", "＊＊＊＊", "xxxx", "XXXX", "××××"), fc.constantFrom("", " ", "-"))
      .map(([m, sep]): [string, string] => ["", `${id.phone.slice(0, 3)}${sep}${m}${sep}${tail}`]),
  );
  const flat = /^(\d+)号(\d+)(栋|幢)(\d+)单元(\d+)室$/.exec(id.specific);
  if (!flat) return phone;
  const [, no, b, kind, u, room] = flat;
  const address = fc.constantFrom(
    `${b}${kind}${room}室`,
    `${no}号${room}室`,
    `${no}号院${b}${kind}`,
    `${room}室`,
    `${b}-${u}-${room}`,
    `${b}—${u}—${room}`,
    `${no}-${b}-${u}-${room}`,
    `${chineseNumeral(Number(b))}${kind}${chineseNumeral(Number(u))}单元${chineseNumeral(Number(room))}室`,
  );
  return fc.oneof(
    phone,
    address.map((a): [string, string] => ["", a]),
  );
}
