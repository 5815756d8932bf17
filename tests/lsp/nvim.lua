-- tests/lsp/nvim.lua: Neovim's own LSP client against `infrac lsp`. Run by
-- tests/lsp/nvim.py as `nvim --headless --clean -c 'luafile nvim.lua'` with
-- INFRAC, INFRA_FILE, NVIM_OUT and HOVER_LINE/HOVER_COL in the environment;
-- writes what the client got as JSON to NVIM_OUT. Neovim 0.7 and later
-- (vim.lsp.start_client: vim.lsp.start came in 0.8).
local infrac = os.getenv("INFRAC")
local file = os.getenv("INFRA_FILE")
local out = os.getenv("NVIM_OUT")
local result = { diagnostics = {} }

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "infrac",
  cmd = { infrac, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
})
result.attached = id ~= nil and vim.lsp.buf_attach_client(buf, id)
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
