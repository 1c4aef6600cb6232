package io.fleetgen.control.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The one-shot REPL's way through a running {@code fleetgen serve}: the script goes to {@code POST /api/script},
 * which runs it on the service's warm control and returns what the REPL would have printed, and its exit code.
 * Only the JDK's HTTP client: no cluster, no Vert.x, so a command costs a JVM start and one round trip. Over
 * HTTPS the service must present a certificate of the fleet CA with the control role (its name is not checked:
 * fleet credentials name nodes, not DNS names).
 */
final class ServiceClient {
    /** The local default a one-shot REPL tries before joining the cluster. */
    static final String LOCAL = "http://127.0.0.1:7480";

    private final URI base;
    private final String token;
    private final SSLContext ssl;

    private ServiceClient(URI base, String token, SSLContext ssl) {
        this.base = base;
        this.token = token;
        this.ssl = ssl;
    }

    /** A client of the service at {@code url}; {@code ca} (PEM) is the fleet CA for HTTPS, may be null for HTTP. */
    static ServiceClient of(String url, Path tokenFile, Path ca) throws IOException, GeneralSecurityException {
        SSLContext ssl = null;
        if (url.startsWith("https:")) {
            if (ca == null) {
                throw new IOException("HTTPS needs the fleet CA (--credentials DIR with fleet-ca.crt, or "
                        + "--service-ca FILE)");
            }
            ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new X509TrustManager[] {fleetControl(ca)}, null);
        } else if (!url.startsWith("http:")) {
            throw new IOException("expected http://HOST:PORT or https://HOST:PORT");
        }
        String t = tokenFile == null ? null : Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        return new ServiceClient(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), t, ssl);
    }

    /** Whether something listens on the local default port (a refused connection costs well under a ms). */
    static boolean localListening() {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", 7480), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs the script on the service; prints its output; returns the REPL's exit code. {@link HttpURLConnection}
     * rather than the JDK's HttpClient, which costs a few hundred ms to set up: the whole point is a fast command.
     */
    int run(String script, boolean json) throws IOException {
        HttpURLConnection con = (HttpURLConnection) base.resolve("/api/script").toURL().openConnection();
        if (ssl != null) {
            HttpsURLConnection https = (HttpsURLConnection) con;
            https.setSSLSocketFactory(ssl.getSocketFactory());
            https.setHostnameVerifier((host, session) -> true);   // the trust manager checked the fleet role
        }
        con.setConnectTimeout(5000);
        con.setReadTimeout((int) java.util.concurrent.TimeUnit.HOURS.toMillis(1));
        con.setRequestMethod("POST");
        con.setDoOutput(true);
        con.setRequestProperty("Content-Type", "application/json");
        if (token != null) {
            con.setRequestProperty("Authorization", "Bearer " + token);
        }
        try (OutputStream out = con.getOutputStream()) {
            out.write(("{\"script\":" + quote(script) + ",\"json\":" + json + "}").getBytes(StandardCharsets.UTF_8));
        }
        int status = con.getResponseCode();
        String text;
        try (InputStream in = status < 400 ? con.getInputStream() : con.getErrorStream()) {
            text = in == null ? "" : new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
        }
        if (status != 200) {
            throw new IOException("HTTP " + status + " " + text);
        }
        System.out.print(field(text, "stdout"));
        System.err.print(field(text, "stderr"));
        String exit = field(text, "exit");
        return exit.matches("-?\\d{1,3}") ? Integer.parseInt(exit) : 1;
    }

    /**
     * A top-level field of the service's answer (a flat object of one number and two strings, as
     * {@code /api/script} returns): the number's digits, or the string unescaped; empty if absent.
     */
    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":");
        if (i < 0) {
            return "";
        }
        i += name.length() + 3;
        if (i < json.length() && json.charAt(i) != '"') {
            int e = i;
            while (e < json.length() && (Character.isDigit(json.charAt(e)) || json.charAt(e) == '-')) {
                e++;
            }
            return json.substring(i, e);
        }
        int e = ++i;
        while (e < json.length() && json.charAt(e) != '"') {
            e += json.charAt(e) == '\\' ? 2 : 1;
        }
        return unquote(json.substring(i, Math.min(e, json.length())));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String unquote(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n':
                    b.append('\n');
                    break;
                case 't':
                    b.append('\t');
                    break;
                case 'r':
                    b.append('\r');
                    break;
                case 'b':
                    b.append('\b');
                    break;
                case 'f':
                    b.append('\f');
                    break;
                case 'u':
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                    break;
                default:
                    b.append(n);
            }
        }
        return b.toString();
    }

    /** Trusts a chain from the fleet CA whose leaf has the control role; no host name check. */
    private static X509ExtendedTrustManager fleetControl(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("fleet-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager ca = (X509TrustManager) tmf.getTrustManagers()[0];
        return new X509ExtendedTrustManager() {
            private void check(X509Certificate[] chain, String authType) throws CertificateException {
                ca.checkServerTrusted(chain, authType);
                if (!chain[0].getSubjectX500Principal().getName().contains("OU=fleetgen-control")) {
                    throw new CertificateException("the service's certificate is not a fleet control's: "
                            + chain[0].getSubjectX500Principal());
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s)
                    throws CertificateException {
                check(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e)
                    throws CertificateException {
                check(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client does not take connections");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s)
                    throws CertificateException {
                throw new CertificateException("a client does not take connections");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e)
                    throws CertificateException {
                throw new CertificateException("a client does not take connections");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return ca.getAcceptedIssuers();
            }
        };
    }
}
