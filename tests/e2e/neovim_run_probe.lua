-- Runs PROBE_FILE from headless Neovim: attaches the language server started with PROBE_CMD (a JSON list),
-- asks it to run the config (workspace/executeCommand oliveStudio.runLocally), records every $/progress value
-- and window/showMessage until the progress ends, and writes them as JSON to PROBE_OUT. Neovim 0.7+.
local out = vim.env.PROBE_OUT
local file = vim.env.PROBE_FILE
local cmd = vim.fn.json_decode(vim.env.PROBE_CMD)
local timeout = tonumber(vim.env.PROBE_TIMEOUT_MS or '300000')

local progress, messages, result = {}, {}, nil
local default_progress = vim.lsp.handlers['$/progress']
vim.lsp.handlers['$/progress'] = function(err, params, ctx, config)
  table.insert(progress, params.value)
  return default_progress(err, params, ctx, config)
end
vim.lsp.handlers['window/showMessage'] = function(_, params)
  table.insert(messages, params.message)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({ name = 'olive-studio', cmd = cmd, root_dir = vim.fn.fnamemodify(file, ':h') })
vim.lsp.buf_attach_client(buf, client_id)
vim.wait(30000, function() return vim.lsp.get_client_by_id(client_id).initialized end, 50)

local client = vim.lsp.get_client_by_id(client_id)
client.request('workspace/executeCommand', {
  command = 'oliveStudio.runLocally',
  arguments = { vim.uri_from_fname(file) },
}, function(err, answer) result = err and { error = err.message } or answer end, buf)

local ended = vim.wait(timeout, function()
  for _, value in ipairs(progress) do
    if value.kind == 'end' then return true end
  end
  return false
end, 100)
vim.wait(5000, function() return #messages > 0 end, 50)
vim.fn.writefile({ vim.fn.json_encode({ ended = ended, result = result, progress = progress, messages = messages }) }, out)
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
