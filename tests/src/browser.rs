use crate::{artifacts_dir, free_port};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A chromedriver process on a free loopback port.
pub struct Chromedriver {
    pub port: u16,
    child: Child,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chromedriver (scripts/tools.sh installs Debian's chromium-driver)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Chromedriver { port, child }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One simulated phone: headless Chromium with its own profile (so its own
/// IndexedDB and service worker), at a phone's viewport.
pub struct Browser {
    pub client: Client,
    pub name: &'static str,
    profile: PathBuf,
    _owned: Option<TempDir>,
}

impl Browser {
    pub async fn launch(driver: &Chromedriver, name: &'static str) -> Browser {
        Browser::launch_sized(driver, name, (390, 844)).await
    }

    /// A phone with a screen of `width`×`height` CSS pixels. Set here, not with
    /// `Emulation.setDeviceMetricsOverride`: chromedriver puts its own mobile emulation back
    /// on every navigation.
    pub async fn launch_sized(
        driver: &Chromedriver,
        name: &'static str,
        (width, height): (u32, u32),
    ) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut b = Browser::start(driver, name, profile.path(), (width, height)).await;
        b._owned = Some(profile);
        b
    }

    /// A phone whose profile (its storage) lives in `profile`.
    pub async fn launch_with_profile(
        driver: &Chromedriver,
        name: &'static str,
        profile: &Path,
    ) -> Browser {
        Browser::start(driver, name, profile, (390, 844)).await
    }

    async fn start(
        driver: &Chromedriver,
        name: &'static str,
        profile: &Path,
        (width, height): (u32, u32),
    ) -> Browser {
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=412,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let caps: serde_json::Map<String, Value> = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                // A mid-range phone's screen: the app's main target.
                "mobileEmulation": { "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true } }
            }
        })
        .as_object()
        .cloned()
        .expect("object");
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("start a chromium session through chromedriver");
        Browser {
            client,
            name,
            profile: profile.to_path_buf(),
            _owned: None,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Runs `script` (a function body; `arguments` available) and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("execute script")
    }

    /// Runs `script`, which returns an array of strings (anything else reads as empty).
    pub async fn js_strings(&self, script: &str) -> Vec<String> {
        let v = self.js(script).await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The trimmed text of every element `css` matches, in document order.
    pub async fn text_of_all(&self, css: &str) -> Vec<String> {
        self.js_strings(&format!(
            "return Array.from(document.querySelectorAll({css:?})).map(e => e.textContent.trim());"
        ))
        .await
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.js(&format!("return document.querySelector({css:?}) !== null;"))
            .await
            .as_bool()
            .unwrap_or(false)
    }

    pub async fn attr(&self, css: &str, attr: &str) -> Option<String> {
        self.js(&format!(
            "const e = document.querySelector({css:?}); return e ? e.getAttribute({attr:?}) : null;"
        ))
        .await
        .as_str()
        .map(String::from)
    }

    pub async fn value(&self, css: &str) -> Option<String> {
        self.js(&format!(
            "const e = document.querySelector({css:?}); return e ? e.value : null;"
        ))
        .await
        .as_str()
        .map(String::from)
    }

    /// Types into a field the way a person does (key events, so the app sees input).
    pub async fn type_into(&self, css: &str, text: &str) {
        // As a person scrolls to a field before tapping it: left to WebDriver, a field
        // above the screen is scrolled to the very top, under the sticky header.
        self.scroll_to(css).await;
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .expect("field to type into");
        el.click().await.expect("focus field");
        el.send_keys(text).await.expect("type");
    }

    /// Scrolls an element to the middle of the screen, as a person would
    /// before tapping it (the tab bar is fixed at the bottom). First lets two
    /// frames pass, as a person cannot tap sooner: a screen just opened puts
    /// itself where it was last left in its first frame.
    /// Runs `script`, which calls `arguments[0]` with its answer (a promise's, say); `None`
    /// if the script failed or the page went away.
    pub async fn js_async(&self, script: &str) -> Option<Value> {
        self.client.execute_async(script, vec![]).await.ok()
    }

    /// [`Browser::js_async`] for a yes or no: `Some(())` when the answer is `true` (the
    /// shape [`crate::eventually`] waits for).
    pub async fn js_async_true(&self, script: &str) -> Option<()> {
        let answer = self.js_async(script).await?;
        answer.as_bool().unwrap_or(false).then_some(())
    }

    pub async fn scroll_to(&self, css: &str) {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => {{
                 const e = document.querySelector({css:?});
                 if (e) e.scrollIntoView({{block: 'center'}});
                 done(null);
             }}));"
        );
        self.client
            .execute_async(&script, vec![])
            .await
            .expect("scroll to element");
    }

    pub async fn click(&self, css: &str) {
        self.scroll_to(css).await;
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .expect("element to click");
        el.click().await.expect("click");
    }

    pub async fn screenshot(&self, label: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let path = artifacts_dir().join(format!("{label}.png"));
            let _ = std::fs::write(path, png);
        }
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// A test that fails half way never reaches `close`: kill this phone's browser
/// (found by its own profile directory) so no Chromium outlives the test.
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::process::Command::new("pkill")
            .arg("-f")
            .arg("--") // the pattern starts with dashes
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
    }
}
