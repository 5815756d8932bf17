-- tests/lsp/nvim_syntax.lua: the highlight groups of editors/vim at the
-- positions named in SYN_POS (JSON: [[line, col], ...], 1-based bytes), with
-- the buffer's filetype and commentstring, written as JSON to NVIM_OUT.
local out = { ft = vim.bo.filetype, cms = vim.bo.commentstring, groups = {} }
for _, p in ipairs(vim.json.decode(os.getenv("SYN_POS"))) do
  table.insert(out.groups, vim.fn.synIDattr(vim.fn.synID(p[1], p[2], 1), "name"))
end
local f = io.open(os.getenv("NVIM_OUT"), "w")
f:write(vim.json.encode(out))
f:close()
vim.cmd("qa!")
