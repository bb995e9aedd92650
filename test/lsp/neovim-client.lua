-- Headless Neovim as an LSP client of the Skipcheck server: open a file, wait for diagnostics, ask for code
-- actions and a hover, apply the fix-all edit, wait for the re-check, and write everything as JSON.
-- Inputs come from the environment: SKIPCHECK_SERVER, SKIPCHECK_FILE, SKIPCHECK_OUT.
local out_path = os.getenv('SKIPCHECK_OUT')
local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function run()
  local file = os.getenv('SKIPCHECK_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'typescript'
  local config = {
    name = 'skipcheck',
    cmd = { 'node', os.getenv('SKIPCHECK_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    settings = { skipcheck = { debounceMs = 50 } },
  }
  -- vim.lsp.start is Neovim 0.8+; Debian 12 ships 0.7, which has only start_client.
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  result.client_started = client_id ~= nil

  local function collect()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or {}
      table.insert(list, { lnum = d.lnum, col = d.col, message = d.message, severity = d.severity, source = d.source, code = d.code or lsp.code })
    end
    return list
  end

  result.got_diagnostics = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  result.diagnostics = collect()

  local uri = vim.uri_from_bufnr(buf)
  local lsp_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(lsp_diagnostics, d.user_data and d.user_data.lsp or {
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      message = d.message,
    })
  end
  local first = result.diagnostics[1]
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.lnum, character = first.col } },
    context = { diagnostics = lsp_diagnostics },
  }, 10000)
  result.actions = {}
  local fix_all
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind, isPreferred = action.isPreferred or false })
      if action.kind == 'source.fixAll.skipcheck' then fix_all = action end
    end
  end

  local line = vim.api.nvim_buf_get_lines(buf, 5, 6, false)[1]
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = 5, character = string.find(line, 'apply', 1, true) },
  }, 10000)
  for _, response in pairs(hover or {}) do
    if response.result then result.hover = response.result.contents.value end
  end

  if fix_all then
    -- Neovim advertises codeAction/resolve for 'edit', so the server sends fix-all's edit only on resolve.
    if not fix_all.edit then
      local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', fix_all, 20000)
      for _, response in pairs(resolved or {}) do
        if response.result then fix_all = response.result end
      end
    end
    vim.lsp.util.apply_workspace_edit(fix_all.edit, 'utf-16')
    result.after_fix_clean = vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 50)
    result.fixed_text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  end
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
finish()
