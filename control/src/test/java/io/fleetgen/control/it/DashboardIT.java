package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13: the dashboard in a real browser (Debian's Chromium through its chromedriver): a live run appears
 * with its counters, its rate chart moves with the counter events, and a 3-host mesh shows its 9 cells, the 6
 * pairs at 0 % loss. Saves a screenshot ({@code control/target/dashboard.png}; the README's is one of these).
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class DashboardIT {
    /** A finished run of two streams, for a row per stream under the run's. */
    private static void twoStreams(ServiceProcess svc) throws Exception {
        svc.ok("PUT", "/api/streams/s1", "{\"proto\":\"udp\",\"dst\":\"198.18.0.2\",\"dport\":\"8802\"}");
        svc.ok("PUT", "/api/streams/s2", "{\"proto\":\"udp\",\"dst\":\"198.18.0.2\",\"dport\":\"8803\"}");
        svc.ok("PUT", "/api/profiles/sp", "{\"type\":\"standard\",\"stream\":\"s1,s2\",\"count\":300,"
                + "\"pps\":\"3000,1500\"}");
        svc.ok("POST", "/api/pairs", "{\"run\":\"two1\",\"profile\":\"sp\",\"from\":\"h1\",\"to\":\"h2\"}");
    }

    private static void streamRowsShow(WebDriverWait wait) {
        String stream1 = wait.until(b -> {
            String t = b.findElement(By.cssSelector("tr.stream[data-run='h2/two1/receiver'][data-stream='1']"))
                    .getText();
            return t.contains("0.00 %") ? t : null;
        });
        assertTrue(stream1.contains("stream 1") && stream1.contains("300"), "stream 1 received 300: " + stream1);
    }

    @Test
    void aLiveRunAndAMeshShowOnTheDashboard() throws Exception {
        try (ControlLab lab = ControlLab.up(3); ServiceProcess svc = ServiceProcess.start(lab.hosts,
                "http://127.0.0.1:7480")) {
            svc.ok("PUT", "/api/streams/m", "{\"proto\":\"udp\",\"dst\":\"198.18.0.0\",\"dport\":\"8800\"}");
            svc.ok("PUT", "/api/profiles/mp", "{\"type\":\"standard\",\"stream\":\"m\",\"count\":500,\"pps\":5000}");
            JsonObject mesh = new JsonObject(svc.ok("POST", "/api/meshes", "{\"run\":\"mesh1\",\"profile\":\"mp\","
                    + "\"timeout\":60}"));
            assertEquals(6, mesh.getJsonArray("cells").size());

            twoStreams(svc);
            svc.ok("PUT", "/api/streams/live", "{\"proto\":\"udp\",\"dst\":\"198.18.0.2\",\"dport\":\"8801\"}");
            svc.ok("PUT", "/api/profiles/lp", "{\"type\":\"continuous\",\"stream\":\"live\",\"pps\":2000,"
                    + "\"duration\":\"60\"}");
            svc.ok("POST", "/api/pairs", "{\"run\":\"live1\",\"profile\":\"lp\",\"from\":\"h1\",\"to\":\"h2\"}");

            ChromeDriver browser = chromium();
            try {
                browser.get("http://127.0.0.1:7480/");
                // Rows are redrawn with every snapshot: read them inside the wait, which retries a stale one.
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(StaleElementReferenceException.class);
                String row = wait.until(b -> b.findElement(By.cssSelector("tr[data-run='h1/live1/sender']")).getText());
                assertTrue(row.contains("running"), row);
                assertEquals(3, browser.findElements(By.cssSelector("#hosts tbody tr")).size());
                streamRowsShow(wait);

                // The chart gets a point per snapshot and its last value is the live rate.
                By chart = By.cssSelector(".chart[data-key='h2/live1/receiver']");
                wait.until(b -> Double.parseDouble(b.findElement(chart).getAttribute("data-last")) > 1000);
                int before = Integer.parseInt(browser.findElement(chart).getAttribute("data-points"));
                // Two snapshots a second: the chart gains points while the run goes on.
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> Integer.parseInt(
                        b.findElement(chart).getAttribute("data-points")) >= before + 4);
                double last = Double.parseDouble(browser.findElement(chart).getAttribute("data-last"));
                assertTrue(last > 1500 && last < 2500, "the receiver's rate is the sender's 2000 pps: " + last);

                List<WebElement> cells = browser.findElements(By.cssSelector("#mesh td"));
                assertEquals(9, cells.size(), "3 x 3 mesh");
                assertEquals(6, browser.findElements(By.cssSelector("#mesh td.cell[data-loss='0']")).size(),
                        "6 pairs at 0 % loss");
                assertEquals(3, browser.findElements(By.cssSelector("#mesh td.self")).size());
                String took = String.format(java.util.Locale.ROOT, "took %.1f s",
                        Math.round(mesh.getJsonObject("timing").getLong("totalMillis") / 100.0) / 10.0);
                String title = browser.findElement(By.id("mesh-title")).getText();
                assertTrue(title.contains("mesh1") && title.contains(took), title + ", expected " + took);

                File png = browser.getScreenshotAs(OutputType.FILE);
                Path out = ControlLab.ROOT.resolve("control/target/dashboard.png");
                Files.copy(png.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(out) > 10_000);
            } finally {
                browser.quit();
                svc.ok("DELETE", "/api/hosts/h1/runs/live1", null);
                svc.ok("DELETE", "/api/hosts/h2/runs/live1", null);
            }
        }
    }

    /** Headless Debian Chromium, no background traffic (the machine has no network beyond the lab). */
    private static ChromeDriver chromium() throws java.io.IOException {
        ChromeOptions o = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("fleetgen-chromium"));
        ChromeDriverService s = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(s, o);
    }
}
