-- Opens PROBE_FILE in headless Neovim, attaches the language server started with PROBE_CMD (a JSON
-- list), waits for its diagnostics and writes them as JSON to PROBE_OUT. Works on Neovim 0.7+
-- (0.7 has no vim.lsp.start, hence start_client + buf_attach_client).
local out = vim.env.PROBE_OUT
local file = vim.env.PROBE_FILE
local cmd = vim.fn.json_decode(vim.env.PROBE_CMD)

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'olive-studio',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(buf, client_id)

local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(found, {
    lnum = d.lnum, col = d.col, message = d.message, severity = d.severity,
    code = d.code or lsp.code, source = d.source or lsp.source,
  })
end
vim.fn.writefile({ vim.fn.json_encode({ got = got, diagnostics = found }) }, out)
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
