"use strict";
/* One call's scorecard (a report as get_call returns it): the verdict, category bars, each question's score
   and answer, the digest, and the transcript in a drawer paged through the app-only call_transcript tool.
   Shared by the scorecard view and the shortlist (where a row opens it). */

/* "88: Strong command of ..." → {score: 88, text: "Strong command of ..."}; any other shape as text. */
function category(value) {
  if (value && typeof value === "object" && typeof value.score === "number") {
    return { score: value.score, text: String(value.summary || "") };
  }
  const found = /^\s*(\d{1,3}(?:\.\d+)?)\s*:\s*([\s\S]*)$/.exec(String(value));
  return found ? { score: Number(found[1]), text: found[2] } : { score: null, text: String(value) };
}

function label(name) {
  return String(name).replace(/_/g, " ");
}

function renderScorecard(report, { candidate, callId } = {}) {
  const root = el("article", { class: "scorecard", "aria-label": "Scorecard" });
  const title = candidate || "Screening call";
  root.append(
    el(
      "section",
      { class: "verdict" },
      el("h2", { class: "who", text: title }),
      el(
        "div",
        { class: "verdict-line" },
        el("span", { class: "big-score", "aria-label": "Call score", text: scoreText(report.call_score) }),
        outcomeBadge(report.ninjahire_intelligence),
        report.call_status ? el("span", { class: "muted", text: label(report.call_status) }) : null,
      ),
      report.next ? el("p", { class: "muted note", text: report.next }) : null,
    ),
  );
  // The Call button (issue 13, item 3) goes in this slot: placing a call stays a confirmed, model-visible tool.
  root.append(el("div", { class: "actions", "data-slot": "call-actions" }));

  const summary = report.call_summary && typeof report.call_summary === "object" ? report.call_summary : {};
  if (Object.keys(summary).length) {
    root.append(
      el(
        "section",
        { class: "categories" },
        el("h3", { text: "Categories" }),
        el(
          "ul",
          { class: "plain" },
          Object.entries(summary).map(([name, value]) => {
            const { score, text } = category(value);
            return el(
              "li",
              { class: "category" },
              el("div", { class: "category-name", text: label(name) }),
              meter(score, 100, label(name)),
              text ? el("p", { class: "muted", text }) : null,
            );
          }),
        ),
      ),
    );
  }

  const questions = Array.isArray(report.questions) ? report.questions : [];
  if (questions.length) {
    const outOf = questions.some((q) => typeof q.score === "number" && q.score > 10) ? 100 : 10;
    root.append(
      el(
        "section",
        { class: "questions" },
        el("h3", { text: "Questions" }),
        el(
          "ol",
          { class: "plain" },
          questions.map((q, index) =>
            el(
              "li",
              { class: "question" },
              el("p", { class: "question-text", text: String(q.question ?? "") }),
              meter(typeof q.score === "number" ? q.score : null, outOf, `Question ${index + 1} score`),
              el("p", { class: "answer", text: q.answer == null ? "(no answer)" : String(q.answer) }),
            ),
          ),
        ),
      ),
    );
  } else if (report.questions_raw) {
    root.append(el("section", { class: "questions" }, el("h3", { text: "Answers" }), el("pre", { text: report.questions_raw })));
  }

  if (report.call_digest) {
    root.append(el("section", { class: "digest" }, el("h3", { text: "Digest" }), el("p", { text: report.call_digest })));
  }
  // get_call's report leaves out the call_id it was asked for: the caller knows it.
  const id = report.call_id || callId;
  if (id && report.transcript_lines) root.append(transcriptDrawer(id, report.transcript_lines));
  return root;
}

function scoreText(score) {
  return typeof score === "number" ? String(score) : "–";
}

/* The transcript on request, a page at a time: the report the model got never carries it. */
function transcriptDrawer(callId, total) {
  const toggle = el("button", { type: "button", class: "drawer-toggle", "aria-expanded": "false" });
  toggle.textContent = `Transcript (${total} lines)`;
  const drawer = el("section", { class: "drawer", hidden: true, "aria-label": "Transcript" });
  const lines = el("ol", { class: "transcript plain" });
  const span = el("p", { class: "muted span", "aria-live": "polite" });
  const previous = el("button", { type: "button", class: "previous", text: "Previous" });
  const next = el("button", { type: "button", class: "next", text: "Next" });
  drawer.append(span, lines, el("div", { class: "pager" }, previous, next));
  let offset = 0;
  let loaded = false;

  async function load(at) {
    previous.disabled = next.disabled = true;
    span.textContent = "Loading…";
    try {
      const page = await Host.callTool("call_transcript", { call_id: callId, offset: at });
      offset = page.offset || 0;
      lines.replaceChildren(
        ...(page.lines || []).map((line) => {
          const found = /^([A-Z][A-Z ]{0,20}):\s?([\s\S]*)$/.exec(line);
          return found
            ? el("li", { class: `line ${found[1].toLowerCase()}` }, el("b", { text: `${found[1]}: ` }), found[2])
            : el("li", { class: "line", text: line });
        }),
      );
      span.textContent = `Lines ${page.span || ""}`;
      previous.disabled = offset === 0;
      next.disabled = page.next_offset == null;
      next.dataset.offset = page.next_offset == null ? "" : String(page.next_offset);
      loaded = true;
    } catch (error) {
      span.textContent = `Could not read the transcript: ${error.message}`;
      span.classList.add("error");
    }
  }

  toggle.addEventListener("click", () => {
    const open = drawer.hidden;
    drawer.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !loaded) load(0);
  });
  next.addEventListener("click", () => load(Number(next.dataset.offset)));
  previous.addEventListener("click", () => load(Math.max(0, offset - 20)));
  return el("section", { class: "transcript-section" }, toggle, drawer);
}
