import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status: { code?: number; message?: string };
  events: Array<{ name: string; attributes: Record<string, string | number | boolean> }>;
  resource: Record<string, string | number | boolean>;
}

interface JsonAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}

/**
 * A local OTLP/HTTP traces receiver: keeps every request's raw body and content type, and the
 * spans of http/json requests flattened (attributes as plain values, with their resource's).
 */
export class OtlpReceiver {
  readonly requests: Array<{ path: string; contentType: string; body: Buffer }> = [];
  readonly spans: OtlpSpan[] = [];
  url = "";
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks);
        const contentType = String(request.headers["content-type"] ?? "");
        this.requests.push({ path: request.url ?? "", contentType, body });
        if (contentType.includes("json")) this.spans.push(...flatten(JSON.parse(body.toString("utf8"))));
        response
          .writeHead(200, { "content-type": contentType || "application/json" })
          .end(contentType.includes("json") ? "{}" : "");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function flatten(payload: {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonAttribute[] };
    scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }>;
  }>;
}): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of payload.resourceSpans ?? []) {
    const resource = values(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({
          traceId: span.traceId as string,
          spanId: span.spanId as string,
          parentSpanId: (span.parentSpanId as string | undefined) || undefined,
          name: span.name as string,
          kind: span.kind as number,
          attributes: values(span.attributes as JsonAttribute[]),
          status: (span.status ?? {}) as OtlpSpan["status"],
          events: ((span.events ?? []) as Array<{ name: string; attributes?: JsonAttribute[] }>).map((event) => ({
            name: event.name,
            attributes: values(event.attributes),
          })),
          resource,
        });
      }
    }
  }
  return spans;
}

function values(attributes: JsonAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.boolValue ??
      value.doubleValue ??
      "";
  }
  return out;
}
