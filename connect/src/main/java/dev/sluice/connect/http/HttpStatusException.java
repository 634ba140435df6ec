package dev.sluice.connect.http;

/** A non-2xx answer; transient when retrying may help (408, 429, 5xx). */
public final class HttpStatusException extends Exception {
    private final int status;

    public HttpStatusException(String url, int status, String body) {
        super(url + " answered HTTP " + status + (body.isBlank() ? "" : ": " + (body.length() > 300
                ? body.substring(0, 300) + "..." : body.strip())));
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isTransient() {
        return status == 408 || status == 429 || status >= 500;
    }
}
