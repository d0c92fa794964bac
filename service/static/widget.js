/*
 * budgetqa Q&A widget. One tag on any page adds a question box:
 *
 *   <script src="https://HOST/widget.js" data-title="预算公开问答"></script>
 *
 * data-api          the service root (default: where widget.js was loaded from)
 * data-target       CSS selector of the element to fill (default: a new block right after the tag)
 * data-doc          answer from this document only (id or department name)
 * data-title        the heading (default 预算公开问答)
 * data-suggestions  how many suggested questions to offer (default 6; 0 hides them)
 *
 * The page's origin must be in BUDGETQA_CORS_ORIGINS when it is not the service's own.
 * Plain JavaScript, no dependencies; the styles (widget.css) live in a shadow root so the
 * host page's CSS and the widget's never mix. All text goes in with textContent.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }
  var data = script.dataset;
  var api = (data.api || script.src.replace(/\/widget\.js(?:[?#].*)?$/, "")).replace(/\/+$/, "");
  var fixedDoc = data.doc || "";
  var suggestionCount = data.suggestions === undefined ? 6 : parseInt(data.suggestions, 10) || 0;
  var sessionId = "w-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  var counter = 0;
  var lastQuestion = "";

  var host = data.target ? document.querySelector(data.target) : null;
  if (!host) {
    host = document.createElement("div");
    script.insertAdjacentElement("afterend", host);
  }
  host.classList.add("budgetqa-widget");
  var root = host;
  try { root = host.shadowRoot || host.attachShadow({ mode: "open" }); } catch (e) { root = host; }
  var uid = "bqa" + Math.random().toString(36).slice(2, 8);

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** "1234.56" → "1,234.56"; anything that is not a plain number is left as it is. */
  function formatNumber(value) {
    var text = String(value);
    var match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
    if (!match) { return text; }
    return match[1] + match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (match[3] || "");
  }

  function withUnit(value, unit) {
    var number = formatNumber(value);
    if (!unit) { return number; }
    return unit === "%" ? number + "%" : number + " " + unit;
  }

  // --- the frame ---------------------------------------------------------------------
  var input = el("input", {
    id: uid + "-q", type: "text", name: "question", autocomplete: "off", maxlength: "500",
    placeholder: "例如：项目支出比上年增长多少", enterkeyhint: "search",
  });
  var button = el("button", { type: "submit", "class": "bqa-ask", text: "提问" });
  var docSelect = el("select", { id: uid + "-doc" });
  var docField = el("div", { "class": "bqa-doc", hidden: true }, [
    el("label", { "for": uid + "-doc", text: "在哪份公开中查找" }), docSelect,
  ]);
  var form = el("form", { "class": "bqa-form", role: "search", "aria-label": "提问" }, [
    el("label", { "for": uid + "-q", "class": "bqa-label", text: "您的问题" }),
    el("div", { "class": "bqa-row" }, [input, button]),
    docField,
  ]);
  var suggestList = el("ul", { "class": "bqa-suggest-list" });
  var suggest = el("div", { "class": "bqa-suggest", role: "group", "aria-labelledby": uid + "-sg", hidden: true }, [
    el("h3", { id: uid + "-sg", text: "可以这样问" }), suggestList,
  ]);
  var output = el("div", { "class": "bqa-output", "aria-live": "polite", "aria-atomic": "true" });
  var panel = el("section", { "class": "bqa", "aria-labelledby": uid + "-title" }, [
    el("h2", { id: uid + "-title", text: data.title || "预算公开问答" }),
    el("p", { "class": "bqa-intro", text: "问部门预算、决算公开中的数字；答案附计算过程和出处，可点出处核对原表。" }),
    form, suggest, output,
  ]);
  root.appendChild(el("link", { rel: "stylesheet", href: api + "/static/widget.css" }));
  root.appendChild(panel);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) {
      output.replaceChildren(el("p", { "class": "bqa-busy", text: "请先输入问题。" }));
      input.focus();
      return;
    }
    ask(question, null);
  });

  // --- talking to the service ------------------------------------------------------------
  function request(method, path, body) {
    var options = { method: method, headers: { Accept: "application/json" } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (!response.ok) { throw { error: json && json.error }; }
        return json;
      });
    });
  }

  function ask(question, doc) {
    var seq = ++counter;
    lastQuestion = question;
    if (input.value.trim() !== question) { input.value = question; }
    output.setAttribute("aria-busy", "true");
    button.setAttribute("aria-disabled", "true");
    output.replaceChildren(el("p", { "class": "bqa-busy", text: "正在查询…" }));
    request("POST", "/api/v1/ask", {
      question: question, doc: doc || fixedDoc || docSelect.value || null, session_id: sessionId,
    }).then(function (answer) {
      if (seq === counter) { show(answer); }
    }, function (failure) {
      if (seq === counter) { showError(failure && failure.error); }
    }).then(function () {
      if (seq === counter) {
        output.removeAttribute("aria-busy");
        button.removeAttribute("aria-disabled");
      }
    });
  }

  // --- showing an answer ---------------------------------------------------------------
  function show(answer) {
    var view = el("article", { "class": "bqa-result bqa-" + answer.status });
    if (answer.status === "answered") { answered(view, answer); }
    else if (answer.status === "clarify") { clarify(view, answer); }
    else { refused(view, answer); }
    output.replaceChildren(view);
    if (answer.status === "clarify") {
      var first = view.querySelector(".bqa-option");
      if (first) { first.focus(); }
    }
  }

  var DIRECTIONS = {
    up: { sign: "+", arrow: "▲" }, down: { sign: "−", arrow: "▼" }, same: { sign: "", arrow: "＝" },
  };

  /** One figure: its name, the number with its sign and unit, and the direction in words. */
  function figureNode(figure, main, cite) {
    var way = DIRECTIONS[figure.direction] || null;
    var number = (way ? way.sign : "") + formatNumber(figure.value) + (figure.unit === "%" ? "%" : "");
    var spoken = figure.name + (way && figure.name.indexOf(figure.word) < 0 ? figure.word : "") + " " +
      formatNumber(figure.value) + (figure.unit === "%" ? "%" : " " + figure.unit);
    return el("p", { "class": "bqa-figure" + (main ? " bqa-main" : "") + (way ? " bqa-" + figure.direction : "") }, [
      el("span", { "class": "bqa-figure-name", text: figure.name }),
      el("span", { "class": "bqa-figure-value", "aria-label": spoken, role: "text" }, [
        way ? el("span", { "class": "bqa-trend", "aria-hidden": "true", text: way.arrow + " " + figure.word }) : null,
        el("strong", { "class": "bqa-number", "aria-hidden": "true", text: number }),
        figure.unit === "%" ? "" : el("span", { "class": "bqa-unit", "aria-hidden": "true", text: " " + figure.unit }),
      ]),
      main && cite ? citeLink(cite, "bqa-main-cite", "出处：" + cite.table + "，第 " + cite.page + " 页") : null,
    ]);
  }

  function answered(view, answer) {
    var figures = answer.figures && answer.figures.length ? answer.figures : answer.values || [];
    var cited = (answer.citations || []).filter(function (c) { return c.table && c.table_id; })[0];
    rewritten(view, answer);
    if (figures.length) {
      view.appendChild(el("div", { "class": "bqa-figures" }, figures.map(function (figure, i) {
        return figureNode(figure, i === 0, cited);
      })));
    }
    view.appendChild(el("p", { "class": "bqa-sentence", text: answer.answer }));
    if (answer.formula) {
      view.appendChild(el("div", { "class": "bqa-formula" }, [
        el("h3", { text: "计算过程" }), el("p", {}, [el("code", { text: answer.formula })]),
      ]));
    }
    citations(view, answer.citations || []);
    notes(view, answer.notes || []);
  }

  /** In a conversation, the full question a follow-up was understood as. */
  function rewritten(view, answer) {
    var full = answer.plan && answer.plan.question;
    if (full && full !== lastQuestion) {
      view.appendChild(el("p", { "class": "bqa-rewritten" }, ["按“", el("strong", { text: full }), "”回答"]));
    }
  }

  function citeLink(cite, cls, text) {
    return el("a", { href: tableLink(cite), target: "_blank", rel: "noopener", "class": cls }, [
      text, el("span", { "class": "bqa-sr", text: "（在新窗口打开表格，引用的单元格已标出）" }),
    ]);
  }

  // "文件名 第 9 页": a disclosure may come in two files, so the page names its file
  function pageOf(cite) {
    return (cite.source_file ? cite.source_file + " " : "") + "第 " + cite.page + " 页";
  }

  function citations(view, cites) {
    if (!cites.length) { return; }
    var documents = cites.map(function (c) { return c.document; }).filter(function (d, i, all) {
      return all.indexOf(d) === i;
    });
    var list = el("ol", { "class": "bqa-cites-list" }, cites.map(function (cite) {
      var from = documents.length > 1 ? cite.document + "｜" : "";
      if (cite.table && cite.table_id) {
        var where = [cite.side, cite.row, cite.column].filter(Boolean).join(" · ");
        return el("li", {}, [
          el("a", { href: tableLink(cite), target: "_blank", rel: "noopener", "class": "bqa-cite" }, [
            el("span", { "class": "bqa-cite-table", text: from + cite.table }),
            el("span", { "class": "bqa-cite-cell", text: where }),
            el("span", { "class": "bqa-cite-raw", text: "原文 " + (cite.raw || "（空白）") + "，" + pageOf(cite) }),
            el("span", { "class": "bqa-sr", text: "（在新窗口打开表格，引用的单元格已标出）" }),
          ]),
        ]);
      }
      return el("li", {}, [
        el("span", { "class": "bqa-cite-table", text: from + "说明原文，" + pageOf(cite) }),
        cite.section ? el("span", { "class": "bqa-cite-section", text: cite.section }) : null,
        el("q", { "class": "bqa-quote", text: cite.sentence || "" }),
      ]);
    }));
    view.appendChild(el("div", { "class": "bqa-cites" }, [
      el("h3", { text: "出处" }),
      documents.length === 1 ? el("p", { "class": "bqa-doc-name", text: documents[0] }) : null,
      list,
    ]));
  }

  function tableLink(cite) {
    var params = [["row", cite.row], ["code", cite.row_code], ["col", cite.column], ["side", cite.side]]
      .filter(function (pair) { return pair[1]; })
      .map(function (pair) { return pair[0] + "=" + encodeURIComponent(pair[1]); });
    return api + "/documents/" + encodeURIComponent(cite.doc_id) + "/tables/" + encodeURIComponent(cite.table_id) +
      "/view?" + params.join("&");
  }

  function notes(view, items) {
    if (!items.length) { return; }
    view.appendChild(el("div", { "class": "bqa-notes" }, [
      el("h3", { text: "说明" }),
      el("ul", {}, items.map(function (note) { return el("li", { text: note }); })),
    ]));
  }

  function clarify(view, answer) {
    var question = lastQuestion;
    var offered = answer.choices && answer.choices.length ? answer.choices : (answer.options || []).map(function (o) {
      return { doc_id: o, label: o };
    });
    view.appendChild(el("p", { "class": "bqa-sentence", id: uid + "-which", text: answer.answer }));
    view.appendChild(el("div", { "class": "bqa-options", role: "group", "aria-labelledby": uid + "-which" },
      offered.map(function (choice) {
        return el("button", {
          type: "button", "class": "bqa-option", text: choice.label,
          onclick: function () { ask(question, choice.doc_id); },
        });
      })));
  }

  function refused(view, answer) {
    rewritten(view, answer);
    view.appendChild(el("p", { "class": "bqa-status", text: "暂时无法回答" }));
    view.appendChild(el("p", { "class": "bqa-sentence", text: answer.answer }));
    view.appendChild(el("p", { "class": "bqa-hint", text: "可以换个问法，或者点上面的示例问题。" }));
  }

  function showError(error) {
    var message = error && error.message_zh ? error.message_zh : "服务暂时无法连接，请稍后再试。";
    output.replaceChildren(el("article", { "class": "bqa-result bqa-error" }, [
      el("p", { "class": "bqa-status", text: "出错了" }), el("p", { "class": "bqa-sentence", text: message }),
    ]));
  }

  // --- documents and suggestions ----------------------------------------------------------
  if (!fixedDoc) {
    request("GET", "/api/v1/documents").then(function (docs) {
      if (!docs || docs.length < 2) { return; }
      docSelect.replaceChildren(el("option", { value: "", text: "全部已载入的公开" }));
      docs.forEach(function (doc) { docSelect.appendChild(el("option", { value: doc.doc_id, text: doc.label || doc.title })); });
      docField.hidden = false;
    }, function () {});
  }

  if (suggestionCount > 0) {
    var query = "?limit=" + suggestionCount + (fixedDoc ? "&doc=" + encodeURIComponent(fixedDoc) : "");
    request("GET", "/api/v1/suggestions" + query).then(function (body) {
      var questions = (body && body.suggestions) || [];
      suggestList.replaceChildren.apply(suggestList, questions.map(function (question) {
        return el("li", {}, [el("button", {
          type: "button", "class": "bqa-chip", text: question,
          onclick: function () { ask(question, null); },
        })]);
      }));
      suggest.hidden = questions.length === 0;
    }, function () {});
  }
})();
