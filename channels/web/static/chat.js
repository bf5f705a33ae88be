// madoguchi web chat: vanilla JS, no dependencies. Every visible word comes from the
// JSON block #ui-text (channels/web/messages.py).
(function () {
  "use strict";

  var T = JSON.parse(document.getElementById("ui-text").textContent);
  var log = document.getElementById("log");
  var form = document.getElementById("ask-form");
  var input = document.getElementById("question");
  var sendButton = document.getElementById("send-button");
  var statusLine = document.getElementById("status");
  var busy = false;
  var counter = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function announce(text) { statusLine.textContent = text; }

  function postJSON(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.message || response.status);
          // Busy, too many questions, too slow: the server's own polite words say when to try again.
          error.polite = [429, 503, 504].indexOf(response.status) >= 0 ? data.message : "";
          throw error;
        }
        return data;
      });
    });
  }

  function addUserMessage(question) {
    var item = el("div", { "class": "message user" });
    item.appendChild(el("p", { "class": "who" }, T.you));
    item.appendChild(el("p", { "class": "text" }, question));
    log.appendChild(item);
  }

  function addBotText(text, extraClass) {
    var item = el("article", { "class": "message bot " + (extraClass || "") });
    item.appendChild(el("p", { "class": "who" }, T.bot));
    item.appendChild(el("p", { "class": "text" }, text));
    log.appendChild(item);
    return item;
  }

  // Labels in the question's language, sent with each answer ("ui"); the page's own otherwise.
  function textsFor(answer) {
    var texts = {};
    Object.keys(T).forEach(function (key) { texts[key] = T[key]; });
    Object.keys(answer.ui || {}).forEach(function (key) { texts[key] = answer.ui[key]; });
    return texts;
  }

  function isWebLink(url) { return /^https?:\/\//i.test(url || ""); }

  function renderSources(item, answer) {
    var L = textsFor(answer);
    (answer.sources || []).forEach(function (source) {
      var line = el("p", { "class": "meta source" });
      line.appendChild(el("strong", null, L.source + ":"));
      var label = source.label || source.title;
      if (isWebLink(source.url)) {
        var link = el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, label);
        link.appendChild(el("span", { "class": "visually-hidden" }, L.opens_new_window));
        line.appendChild(link);
      } else {
        line.appendChild(document.createTextNode(label));
      }
      item.appendChild(line);
    });
  }

  function renderContact(item, answer) {
    var L = textsFor(answer);
    // An abstention already names whom to contact in its text.
    if (!answer.contact || !answer.contact.text || answer.abstained) { return; }
    var line = el("p", { "class": "meta contact" });
    line.appendChild(el("strong", null, L.contact + ":"));
    line.appendChild(document.createTextNode(answer.contact.text));
    item.appendChild(line);
  }

  function renderRelated(item, answer) {
    var L = textsFor(answer);
    var related = (answer.related || []).filter(function (r) { return r.question; });
    if (!related.length) { return; }
    var id = "related-" + counter;
    var group = el("div", { "class": "related", role: "group", "aria-labelledby": id });
    group.appendChild(el("span", { "class": "group-label", id: id }, L.related));
    var row = el("div", { "class": "button-row" });
    related.forEach(function (r) {
      var button = el("button", { type: "button", "class": "related-question" }, r.question);
      button.addEventListener("click", function () { ask(r.question); });
      row.appendChild(button);
    });
    group.appendChild(row);
    item.appendChild(group);
  }

  function renderFeedback(item, answer) {
    var L = textsFor(answer);
    if (answer.inquiry_id === null || answer.inquiry_id === undefined) { return; }
    if (answer.kind === "empty" || answer.kind === "too_long" || answer.kind === "small_talk") { return; }
    var id = "feedback-" + counter;
    var group = el("div", { "class": "feedback", role: "group", "aria-labelledby": id });
    group.appendChild(el("span", { "class": "group-label", id: id }, L.feedback_question));
    var row = el("div", { "class": "button-row" });
    var yes = el("button", { type: "button", "class": "primary", "data-feedback": "resolved" }, L.resolved);
    var no = el("button", { type: "button", "data-feedback": "unresolved" }, L.unresolved);
    [yes, no].forEach(function (button) {
      button.addEventListener("click", function () {
        sendFeedback(group, answer.inquiry_id, button.getAttribute("data-feedback"), L);
      });
      row.appendChild(button);
    });
    group.appendChild(row);
    item.appendChild(group);
  }

  function sendFeedback(group, inquiryId, feedback, L) {
    var buttons = group.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    postJSON("/api/feedback", { inquiry_id: inquiryId, feedback: feedback }).then(function (result) {
      var thanks = feedback === "resolved" ? L.thanks_resolved : L.thanks_unresolved;
      while (group.firstChild) { group.removeChild(group.firstChild); }
      group.removeAttribute("aria-labelledby");
      group.appendChild(el("p", { "class": "meta thanks" }, thanks));
      announce(thanks);
      if (feedback === "unresolved") {
        addCommentForm(group, inquiryId, L);
        if (result && result.handoff) {
          if (result.handoff.text) { group.appendChild(el("p", { "class": "meta" }, result.handoff.text)); }
          renderHandoffOffer(group, inquiryId, result.handoff.label);
        }
      }
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      announce(L.feedback_error);
    });
  }

  function addCommentForm(group, inquiryId, L) {
    var id = "comment-" + inquiryId;
    var box = el("form", { "class": "comment", action: "#" });
    box.appendChild(el("label", { "for": id }, L.comment_label));
    var area = el("textarea", { id: id, rows: "2", maxlength: "1000" });
    box.appendChild(area);
    var submit = el("button", { type: "submit" }, L.comment_send);
    box.appendChild(submit);
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = area.value.trim();
      if (!comment) { area.focus(); return; }
      submit.disabled = true;
      postJSON("/api/feedback", { inquiry_id: inquiryId, feedback: "unresolved", comment: comment })
        .then(function () {
          group.removeChild(box);
          group.appendChild(el("p", { "class": "meta thanks" }, L.comment_thanks));
          announce(L.comment_thanks);
          input.focus();
        })
        .catch(function () { submit.disabled = false; announce(L.feedback_error); });
    });
    group.appendChild(box);
  }

  // --- handing the question to a person (channels/web/handoff.py): the server sends every word ---
  var POLL_MS = 10000;
  var POLL_LIMIT = 720; // two hours of a page left open; the answer also waits for the next visit

  function renderHandoffOffer(container, inquiryId, label) {
    var row = el("div", { "class": "button-row handoff-offer" });
    var button = el("button", { type: "button" }, label);
    button.addEventListener("click", function () {
      button.disabled = true;
      postJSON("/api/handoff/offer", { inquiry_id: inquiryId }).then(function (preview) {
        container.removeChild(row);
        renderHandoffConfirm(preview);
      }).catch(function (error) {
        button.disabled = false;
        announce((error && error.message) || T.error);
      });
    });
    row.appendChild(button);
    container.appendChild(row);
  }

  function renderHandoffConfirm(preview) {
    var item = addBotText(preview.text, "handoff");
    if (preview.ticket) { pollTicket(preview.ticket, 0, false); return; }
    counter += 1;
    var id = "handoff-addition-" + counter;
    var box = el("form", { "class": "comment handoff-confirm", action: "#" });
    box.appendChild(el("label", { "for": id }, preview.addition_label));
    var area = el("textarea", { id: id, rows: "2", maxlength: "1000" });
    box.appendChild(area);
    var submit = el("button", { type: "submit", "class": "primary" }, preview.confirm_label);
    box.appendChild(submit);
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      submit.disabled = true;
      postJSON("/api/handoff/confirm", { inquiry_id: preview.inquiry_id, addition: area.value.trim() })
        .then(function (sent) {
          item.removeChild(box);
          addBotText(sent.text, "handoff");
          announce(sent.text);
          if (sent.waiting) { statusLine.textContent = sent.waiting; }
          pollTicket(sent.ticket, 0, false);
        })
        .catch(function (error) { submit.disabled = false; announce((error && error.message) || T.error); });
    });
    item.appendChild(box);
    item.scrollIntoView({ block: "nearest" });
  }

  // An answered ticket is polled on while the page is open: a staff follow-up (new words) is shown too.
  function pollTicket(ticketId, round, shown) {
    if (round >= POLL_LIMIT) { return; }
    fetch("/api/handoff/tickets/" + ticketId, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (ticket) {
        if (ticket === null) { return; }
        if (ticket.text && (ticket["new"] || !shown)) { renderTicketAnswer(ticket, shown); shown = true; }
        if (ticket.text && ticket.state !== "answered") { return; }  // rated, declined or expired: final
        window.setTimeout(function () { pollTicket(ticketId, round + 1, shown); }, POLL_MS);
      })
      .catch(function () { window.setTimeout(function () { pollTicket(ticketId, round + 1, shown); }, POLL_MS); });
  }

  function renderTicketAnswer(ticket, followUp) {
    var item = addBotText(ticket.text, "handoff answered");
    announce(ticket.text);
    if (!ticket.rate || followUp) { return; }  // one rating per ticket, under its first answer
    counter += 1;
    var id = "ticket-rate-" + counter;
    var group = el("div", { "class": "feedback", role: "group", "aria-labelledby": id });
    group.appendChild(el("span", { "class": "group-label", id: id }, ticket.rate.question));
    var row = el("div", { "class": "button-row" });
    [["resolved", ticket.rate.resolved, "primary"], ["unresolved", ticket.rate.unresolved, ""]].forEach(function (r) {
      var button = el("button", { type: "button", "class": r[2] }, r[1]);
      button.addEventListener("click", function () {
        row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        postJSON("/api/handoff/rate", { ticket: ticket.ticket, rating: r[0] }).then(function (rated) {
          while (group.firstChild) { group.removeChild(group.firstChild); }
          group.appendChild(el("p", { "class": "meta thanks" }, rated.text));
          announce(rated.text);
        }).catch(function () { row.querySelectorAll("button").forEach(function (b) { b.disabled = false; }); });
      });
      row.appendChild(button);
    });
    group.appendChild(row);
    item.appendChild(group);
    item.scrollIntoView({ block: "nearest" });
  }

  // After a reload: keep waiting for the answers to this browser's tickets.
  function resumeTickets() {
    fetch("/api/handoff/tickets", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { tickets: [] }; })
      .then(function (data) { (data.tickets || []).forEach(function (id) { pollTicket(id, 0, false); }); })
      .catch(function () {});
  }

  function renderAnswer(answer) {
    counter += 1;
    var item = addBotText(answer.answer, answer.abstained ? "abstained" : "answered");
    if (answer.answer_language && answer.answer_language !== "ja") { item.setAttribute("lang", answer.answer_language); }
    item.setAttribute("data-inquiry-id", answer.inquiry_id === null ? "" : String(answer.inquiry_id));
    renderSources(item, answer);
    renderContact(item, answer);
    renderRelated(item, answer);
    renderFeedback(item, answer);
    if (answer.handoff && answer.inquiry_id !== null) { renderHandoffOffer(item, answer.inquiry_id, answer.handoff.label); }
    item.scrollIntoView({ block: "nearest" });
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    form.setAttribute("aria-busy", value ? "true" : "false");
  }

  function ask(question) {
    question = (question || "").trim();
    if (!question) { announce(T.empty); input.focus(); return; }
    if (busy) { return; }
    setBusy(true);
    addUserMessage(question);
    announce(T.thinking);
    postJSON("/api/ask", { question: question }).then(function (answer) {
      renderAnswer(answer);
      announce(T.answered);
    }).catch(function (error) {
      var text = (error && error.polite) || T.error;
      addBotText(text, "error");
      announce(text);
    }).then(function () {
      setBusy(false);
      input.focus();
    });
  }

  resumeTickets();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value;
    if (question.trim() && !busy) { input.value = ""; }
    ask(question);
  });

  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; never send while an IME is converting kana.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
    }
  });
}());
