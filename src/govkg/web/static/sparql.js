// The query page: YASGUI on /sparql, with the named queries as examples (a file, so the CSP needs no inline script).
// Nothing leaves the machine: the completers that ask outside services (LOV for properties and classes) are off,
// prefixes come from YASGUI's bundled list, and the only endpoint is this server's.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var base = root.dataset.base || "";  // the data's base IRI: this server answers its IRIs under /id/
  var ONTOLOGY = "https://w3id.org/govkg/ontology#";

  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  // The local page of an IRI of the data or the ontology, else null.
  function localHref(iri) {
    if (base && iri.indexOf(base) === 0) return "/id/" + iri.slice(base.length);
    if (iri.indexOf(ONTOLOGY) === 0) return "/ontology#" + iri.slice(ONTOLOGY.length);
    return null;
  }

  // The table shows literals plainly (2022, not "2022"^^xsd:gYear) and links IRIs of the data to their pages here.
  var Table = Yasgui.Yasr.plugins.table;
  var formatLiteral = Table.prototype.formatLiteral;
  var uriLink = Table.prototype.getUriLinkFromBinding;
  function compactly(method) {
    return function () {
      var saved = this.persistentConfig;
      this.persistentConfig = Object.assign({}, saved, { compact: true });
      try { return method.apply(this, arguments); } finally { this.persistentConfig = saved; }
    };
  }
  Table.prototype.formatLiteral = compactly(formatLiteral);
  var compactLink = compactly(uriLink);
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    var html = compactLink.call(this, binding, prefixes);
    var href = localHref(binding.value);
    if (!href) return html;
    var box = document.createElement("div");
    box.innerHTML = html;  // already sanitised by YASR
    box.querySelectorAll("a").forEach(function (link) {
      link.setAttribute("href", href);
      link.removeAttribute("target");
      link.setAttribute("title", binding.value);
    });
    return box.innerHTML;
  };

  // A failed request (a 503 at the server's deadline, a syntax error) is shown as the server's message.
  Yasgui.Yasr.defaults.errorRenderers = [function (error) {
    var box = document.createElement("div");
    box.className = "query-error";
    var title = document.createElement("strong");
    title.textContent = "查询没有完成 The query did not finish" + (error.status ? " (" + error.status + ")" : "") + ":";
    var text = document.createElement("pre");
    text.textContent = error.text || error.statusText || String(error);
    box.appendChild(title);
    box.appendChild(text);
    return box;
  }];

  var first = examples[Object.keys(examples)[0]].query;
  var endpoint = location.origin + "/sparql";  // absolute: YASGUI's error renderers parse it as a URL
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    // the typed queries are kept in localStorage, one store per server (its origin and path)
    persistenceId: "govkg:" + location.host + location.pathname,
    populateFromUrl: false,
    yasqe: { value: first, autocompleters: ["variables", "prefixes"] },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });
  window.govkgYasgui = yasgui;
  // A link such as /sparql#query=… (e.g. "open in SPARQL") opens its query in a new tab; the typed ones stay.
  function openLinked() {
    var linked = new URLSearchParams(location.hash.slice(1)).get("query");
    if (!linked) return;
    yasgui.addTab(true, { yasqe: { value: linked }, requestConfig: { endpoint: endpoint, method: "POST" } });
    history.replaceState(null, "", location.pathname + location.search);
  }
  openLinked();
  window.addEventListener("hashchange", openLinked);
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      yasgui.getTab().setQuery(examples[button.dataset.name].query);
    });
  });
})();
