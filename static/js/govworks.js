/* GovWorks page behaviour. No inline scripts (strict CSP): behaviour hangs on data- attributes. */
(function () {
  "use strict";
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRFToken"] = csrfToken();
  });
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
  });
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { evt.preventDefault(); }
  });
  /* ECharts draws labels, axes and legends as SVG text, but tooltips as HTML by default: drawn as rich text
     instead, a label such as <img src=x onerror=…> stays text wherever it shows (issue 12). */
  function inertTooltips(option) {
    [].concat(option.tooltip || []).forEach(function (tooltip) { tooltip.renderMode = "richText"; });
    [].concat(option.toolbox || []).forEach(function (toolbox) {
      if (toolbox.feature) { delete toolbox.feature.dataView; }  /* the data view is an HTML table */
    });
    return option;
  }
  /* a chart with no data says so instead of drawing bare axes (issue 16) */
  function hasData(option) {
    return [].concat(option.series || []).some(function (series) {
      return [].concat(series.data || []).some(function (point) {
        var value = point && typeof point === "object" && !Array.isArray(point) ? point.value : point;
        return value !== null && value !== undefined && value !== "" && value !== "-";
      });
    });
  }
  function showEmpty(el) {
    var note = document.createElement("div");
    note.className = "d-flex align-items-center justify-content-center h-100 text-secondary";
    note.setAttribute("data-testid", "chart-empty");
    note.textContent = "暂无数据";
    el.replaceChildren(note);
  }
  function drawCharts(root) {
    if (!window.echarts) { return; }
    (root || document).querySelectorAll("[data-echarts]").forEach(function (el) {
      if (el.getAttribute("data-echarts-done")) { return; }
      var source = document.getElementById(el.getAttribute("data-echarts"));
      if (!source) { return; }
      var option = JSON.parse(source.textContent);
      if (!hasData(option)) { showEmpty(el); el.setAttribute("data-echarts-done", "1"); return; }
      var chart = window.echarts.init(el, null, { locale: "ZH", renderer: "svg" });
      chart.setOption(inertTooltips(option));
      el.setAttribute("data-echarts-done", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { drawCharts(evt.target); });
})();
