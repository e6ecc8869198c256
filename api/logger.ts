import pino, { type DestinationStream, type Logger } from "pino";

/**
 * pino JSON lines. Serializers are replaced so that nothing a request carries can reach a log
 * line by accident: no req/res objects, no headers.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "qingfeng" },
      serializers: { req: () => undefined, res: () => undefined },
      redact: { paths: ["headers", "*.headers", "body", "*.body", "ip", "*.ip"], remove: true },
    },
    destination,
  );
}
