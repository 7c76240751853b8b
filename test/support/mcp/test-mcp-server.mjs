// A small MCP server for keel's tests, written with the official SDK. Over stdio by default; with MCP_TEST_HTTP_PORT
// set it serves streamable HTTP on that port (stateless) instead. MCP_TEST_LOG names a file it appends one JSON
// line to per notable thing (a call, a cancellation). MCP_TEST_MODE=hang never answers `initialize`.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod';

const log = (entry) => {
  if (process.env.MCP_TEST_LOG) appendFileSync(process.env.MCP_TEST_LOG, `${JSON.stringify(entry)}\n`);
};

function makeServer() {
  const server = new McpServer({ name: 'keel-test', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Says the text back.', inputSchema: { text: z.string().describe('what to say') }, annotations: { readOnlyHint: true } },
    async ({ text }) => {
      log({ call: 'echo', text });
      return { content: [{ type: 'text', text: `echo: ${text}` }] };
    },
  );
  server.registerTool(
    'write_note',
    { description: 'Writes a note (changes things).', inputSchema: { note: z.string() } },
    async ({ note }) => {
      log({ call: 'write_note', note });
      return { content: [{ type: 'text', text: `noted: ${note}` }] };
    },
  );
  server.registerTool('slow', { description: 'Takes its time.', inputSchema: { ms: z.number() }, annotations: { readOnlyHint: true } }, async ({ ms }, extra) => {
    log({ call: 'slow', ms });
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        log({ cancelled: 'slow', reason: String(extra.signal.reason ?? '') });
        resolve();
      });
    });
    return { content: [{ type: 'text', text: 'slow done' }] };
  });
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'the thing is broken' }],
  }));
  server.registerTool('crash', { description: 'Exits mid-call.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => {
    log({ call: 'crash' });
    process.exit(3);
  });
  server.registerTool('picture', { description: 'Returns an image.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
    content: [
      { type: 'text', text: 'here it is' },
      { type: 'image', data: Buffer.from('fake png bytes').toString('base64'), mimeType: 'image/png' },
    ],
  }));
  return server;
}

if (process.env.MCP_TEST_MODE === 'hang') {
  // Reads and ignores everything: `initialize` is never answered.
  process.stdin.resume();
} else if (process.env.MCP_TEST_HTTP_PORT) {
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    if (process.env.MCP_TEST_TOKEN && req.headers.authorization !== `Bearer ${process.env.MCP_TEST_TOKEN}`) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  http.listen(Number(process.env.MCP_TEST_HTTP_PORT), '127.0.0.1', () => {
    process.stdout.write(`listening ${http.address().port}\n`);
  });
} else {
  await makeServer().connect(new StdioServerTransport());
  log({ started: process.pid });
}
