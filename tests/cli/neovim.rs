//! A real editor as `okr lsp`'s client: headless Neovim opens a team file with a mistyped field after emoji
//! and CJK text, starts the server as its documentation says, waits for okr's diagnostics, asks for the code
//! actions at the finding, applies the preferred one with Neovim's own workspace-edit code, and saves. The
//! saved bytes must be the file with exactly the typo fixed, and the diagnostics must then clear.
//!
//! `.ci/run` installs Debian's `neovim` (0.7) when it is missing; the script uses only what 0.7 has
//! (`vim.lsp.start_client`, `vim.lsp.buf_attach_client`, `request_sync`). Without `nvim` the test fails on
//! CI (the `CI` variable is set) and is skipped, saying so, anywhere else.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::repo::{planned, team_file};
use crate::support::{suite_cache_dir, suite_state_dir};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// How long Neovim may take before it is killed and the test fails: well past the script's own waits (three
/// of [`WAIT_MS`]), so a slow step fails in the script, saying which, rather than here.
const LIMIT: Duration = Duration::from_secs(90);

/// How long the script waits for each answer of the server, in milliseconds (`WAIT_MS` in the script).
const WAIT_MS: u64 = 15_000;

/// The editor's side: everything a person does, scripted. Each result goes to `OKR_LOG`, one line each. Run
/// under `xpcall`: any error, the script's own `fail` or a Lua error (an API Neovim no longer has), is logged
/// with its traceback and ends Neovim at once with a failing code, instead of leaving it waiting for [`LIMIT`].
const SCRIPT: &str = r#"
local log_path = os.getenv("OKR_LOG")
local wait_ms = tonumber(os.getenv("WAIT_MS"))
local function log(line)
  local f = io.open(log_path, "a")
  f:write(line .. "\n")
  f:close()
end
local function fail(why)
  error(why, 0)
end

local function main()
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("OKR_FILE")))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "okr",
  cmd = { os.getenv("OKR_BIN"), "lsp" },
  root_dir = os.getenv("OKR_ROOT"),
})
if not client_id then fail("the server did not start") end
vim.lsp.buf_attach_client(buf, client_id)

if not vim.wait(wait_ms, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  fail("no diagnostics arrived")
end
local diagnostic
local said = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local first = vim.split(d.message, "\n")[1]
  table.insert(said, "diagnostic line " .. d.lnum .. ": " .. first)
  if vim.startswith(first, "unknown field") then diagnostic = d end
end
table.sort(said)
for _, line in ipairs(said) do log(line) end
if not diagnostic then fail("no unknown-field diagnostic") end

local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = {
    start = { line = diagnostic.lnum, character = 0 },
    ["end"] = { line = diagnostic.lnum + 1, character = 0 },
  },
  -- okr lsp answers for the range, whatever the context's diagnostics (and newer Neovim has no
  -- `vim.lsp.diagnostic.get_line_diagnostics`).
  context = { diagnostics = {} },
}
local response = client.request_sync("textDocument/codeAction", params, wait_ms, buf)
if not response or response.err then fail("codeAction: " .. vim.inspect(response)) end
local chosen
for _, action in ipairs(response.result or {}) do
  log("action " .. action.title .. (action.isPreferred and " (preferred)" or ""))
  if action.isPreferred then chosen = action end
end
if not chosen then fail("no preferred action") end
vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
vim.cmd("write")

if not vim.wait(wait_ms, function() return #vim.diagnostic.get(buf) == 0 end, 20) then
  fail("diagnostics after the fix: " .. vim.inspect(vim.diagnostic.get(buf)))
end
log("diagnostics after the fix: 0")
vim.cmd("qall!")
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  log("failed: " .. tostring(err))
  vim.cmd("cquit 3")
end
"#;

fn find_nvim() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|folder| folder.join("nvim"))
        .find(|candidate| candidate.is_file())
}

/// Runs `nvim` headless on the script with `env`, killed after [`LIMIT`]; returns its exit code and what it
/// wrote on stderr. `log` is the script's log, shown if it is killed.
fn run_nvim(
    nvim: &Path,
    script: &Path,
    home: &Path,
    log: &Path,
    env: &[(&str, &Path)],
) -> (i32, String) {
    let mut command = Command::new(nvim);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", suite_state_dir())
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("OKR_CACHE_DIR", suite_cache_dir())
        .env_remove("OKR_CACHE")
        .env("OKR_LOG", log)
        .env("WAIT_MS", WAIT_MS.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("nvim starts");
    // Read as it comes, so a full pipe never stops Neovim.
    let mut stderr = child.stderr.take().expect("nvim's stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut said = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut said);
        String::from_utf8_lossy(&said).into_owned()
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("nvim can be waited for") {
            let stderr = reader.join().unwrap_or_default();
            return (status.code().unwrap_or(-1), stderr);
        }
        if started.elapsed() > LIMIT {
            let _ = Command::new("kill")
                .args(["-9", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            let stderr = reader.join().unwrap_or_default();
            let said = std::fs::read_to_string(log).unwrap_or_default();
            panic!(
                "nvim ran longer than {LIMIT:?}; the script said:\n{said}\nnvim's stderr:\n{stderr}"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn neovim_applies_okr_s_quick_fix_and_saves_exactly_the_fixed_bytes() {
    let Some(nvim) = find_nvim() else {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("no nvim on CI: .ci/run installs it with .ci/install-neovim");
        }
        eprintln!("SKIPPED: no nvim on PATH (Debian: `bash .ci/install-neovim`)");
        return;
    };
    let repo = planned();
    let text = team_file("platform").replace(
        "      - id: build-minutes\n        title: Median CI minutes per build\n        start: 30\n        target: 15\n",
        "      - {id: build-minutes, title: \"🚀 東京 CI minutes\", start: 30, taget: 15}  # keep\n",
    );
    repo.write(PLATFORM, &text);
    let scratch = tempfile::tempdir().expect("temporary folder");
    let script = scratch.path().join("fix.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let log = scratch.path().join("log");
    let file = repo.path().join(PLATFORM);
    let okr = PathBuf::from(env!("CARGO_BIN_EXE_okr"));

    let (code, stderr) = run_nvim(
        &nvim,
        &script,
        scratch.path(),
        &log,
        &[
            ("OKR_FILE", &file),
            ("OKR_BIN", &okr),
            ("OKR_ROOT", repo.path()),
        ],
    );
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(code, 0, "nvim said:\n{said}\nnvim's stderr:\n{stderr}");
    assert_eq!(
        said.lines().collect::<Vec<_>>(),
        [
            "diagnostic line 20: key result `build-minutes` cannot be measured: it has no `target`",
            "diagnostic line 20: unknown field `taget` in a key result",
            "action rename `taget` to `target` (preferred)",
            "diagnostics after the fix: 0",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text.replace("taget: 15}", "target: 15}")
    );
}
