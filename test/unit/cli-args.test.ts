import { describe, expect, it } from "vitest";
import { parseCommandArgs, required } from "../../cli/args";
import { command, UsageError } from "../../cli/command";

const staffAdd = command({
  usage: "staff add --username U [--generate-password]",
  summary: "",
  options: {
    username: { type: "string" },
    out: { type: "string" },
    "generate-password": { type: "boolean" },
  },
  run: async () => {},
});

const usage = (argv: string[]) => {
  try {
    parseCommandArgs(staffAdd, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
};

describe("admin CLI arguments (node:util parseArgs, strict)", () => {
  it("reads --name value, --name=value, booleans and a lone dash as a value", () => {
    const a = parseCommandArgs(staffAdd, ["--username", "zhang", "--out=-", "--generate-password"]);
    expect(a.values).toEqual({ username: "zhang", out: "-", "generate-password": true });
    expect(parseCommandArgs(staffAdd, ["--out", "-"]).values.out).toBe("-");
    expect(required(a.values, "username")).toBe("zhang");
  });

  it("names what is wrong: unknown options, missing values, values for a flag, stray arguments", () => {
    expect(usage(["--username", "z", "--bogus", "--nope=1"])).toBe("unknown option --bogus, --nope");
    expect(usage(["-x"])).toBe("unknown option -x");
    expect(usage(["--username"])).toBe("--username needs a value");
    expect(usage(["--username", "--generate-password"])).toBe("--username needs a value");
    expect(usage(["--generate-password=yes"])).toBe("--generate-password takes no value");
    expect(usage(["--username", "z", "extra"])).toBe("unexpected argument extra");
    expect(() => required(parseCommandArgs(staffAdd, []).values, "username")).toThrow("missing --username");
  });
});
