-- tests/lsp/nvim.lua: Neovim's own LSP client against `infrac lsp`, started
-- by the set-up of docs/lsp.md (section "Editors"), which tests/lsp/nvim.py
-- passes as the init file: `nvim --headless -u init.lua -c 'luafile nvim.lua'`
-- with INFRA_FILE, NVIM_OUT and HOVER_LINE/HOVER_COL in the environment and
-- infrac on PATH. Opens the file, waits for the client that set-up attaches
-- and for its diagnostics, and writes what it got as JSON to NVIM_OUT.
local file = os.getenv("INFRA_FILE")
local out = os.getenv("NVIM_OUT")
local result = { diagnostics = {}, version = vim.version() }

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
result.filetype = vim.bo.filetype
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients -- 0.10 renamed it
local client
result.attached = vim.wait(10000, function()
  for _, c in ipairs(get_clients()) do
    if c.name == "infrac" and vim.lsp.buf_is_attached(buf, c.id) then
      client = c
    end
  end
  return client ~= nil
end, 20)
local id = client and client.id
result.got_diagnostics = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)

for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, source = d.source, message = d.message,
    code = d.code or lsp.code,
    href = lsp.codeDescription and lsp.codeDescription.href,
  })
end
table.sort(result.diagnostics, function(a, b) return a.lnum < b.lnum end)

-- A request too: hover at a position the test names (in UTF-16, as LSP counts).
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv("HOVER_LINE")), character = tonumber(os.getenv("HOVER_COL")) },
}, 10000)
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then
    result.hover = r.result.contents.value
  end
end

vim.lsp.stop_client(id)
result.stopped = vim.wait(10000, function()
  return vim.lsp.client_is_stopped(id)
end, 20)

local f = io.open(out, "w")
f:write(vim.json.encode(result))
f:close()
vim.cmd("qa!")
