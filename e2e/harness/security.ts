import type { BrowserContext, Page } from "playwright-core";

/** What an injection check found on a page; every list empty and `xss` undefined when clean. */
export interface InjectionReport {
  /** `window.__xss`, set by any payload that ran. */
  xss: unknown;
  /** Elements a payload would have created, as outer HTML. */
  injected: string[];
  /** Attributes holding a `javascript:` URL, as `tag[attr]=value`. */
  scriptUrls: string[];
  /** Content-Security-Policy violations reported since the page loaded. */
  cspViolations: string[];
}

/**
 * Pages of `context` record every CSP violation in `window.__cspViolations`: a policy that blocks
 * part of the app shows up here even when nothing visibly breaks.
 */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}` : "";
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}${where} (${event.sample})`);
    });
  });
}

/** Looks for anything the XSS payloads (`window.__xss = n`) could have produced on `page`. */
export function findInjections(page: Page): Promise<InjectionReport> {
  return page.evaluate(() => {
    const injected = [
      ...Array.from(document.querySelectorAll('img[src="x" i], svg[onload], [onerror], [onload], iframe, object, embed')),
      // Next's flight data (`self.__next_f.push(…)`) carries the page's strings JSON-escaped (`<` as
      // `\u003c`), payloads included; any other script mentioning the marker came from a payload.
      ...Array.from(document.querySelectorAll("script")).filter(
        (script) => script.textContent?.includes("__xss") && !script.textContent.startsWith("self.__next_f.push("),
      ),
    ].map((element) => element.outerHTML);
    const scriptUrls: string[] = [];
    for (const element of Array.from(document.querySelectorAll("*"))) {
      for (const attribute of Array.from(element.attributes)) {
        // Browsers ignore leading whitespace and control characters before a URL's scheme.
        if (/^[\s\x00-\x1f]*javascript:/i.test(attribute.value) && /^(href|src|action|formaction|xlink:href)$/i.test(attribute.name)) {
          scriptUrls.push(`${element.tagName.toLowerCase()}[${attribute.name}]=${attribute.value}`);
        }
      }
    }
    const { __xss: xss, __cspViolations: cspViolations = [] } = window as unknown as { __xss?: unknown; __cspViolations?: string[] };
    return { xss, injected, scriptUrls, cspViolations: [...cspViolations] };
  });
}
