// The query page: YASGUI on /sparql, with the named queries as examples (a file, so the CSP needs no inline script).
(function () {
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var first = examples[Object.keys(examples)[0]].query;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: "/sparql", method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: "/sparql" }]; } },
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { value: first },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });
  window.govkgYasgui = yasgui;
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var tab = yasgui.getTab();
      tab.setQuery(examples[button.dataset.name].query);
    });
  });
})();
