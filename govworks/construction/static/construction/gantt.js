/* The schedule Gantt (dhtmlx-gantt, Chinese locale): the plan as the bar with the confirmed progress,
   the baseline as a shaded band in the row, dependencies as links, today's week tinted. No inline script:
   the data comes from a json_script element named by data-gantt (strict CSP).
   dhtmlx-gantt puts what a template returns into the page as HTML: every text that comes from the data (task
   names, the actual dates) goes through esc(), so a task named <img src=x onerror=…> shows as those characters. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"'`]/g, function (c) { return ENTITIES[c]; });
  }
  function day(text) {
    var p = text.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]);
  }
  function init() {
    var el = document.querySelector("[data-gantt]");
    if (!el || !window.gantt) { return; }
    var src = JSON.parse(document.getElementById(el.getAttribute("data-gantt")).textContent);
    var g = window.gantt;
    g.i18n.setLocale("cn");
    g.config.date_format = "%Y-%m-%d";
    g.config.readonly = true;
    g.config.bar_height = 18;
    g.config.row_height = 42;
    g.config.grid_width = 450;
    g.config.show_errors = false;
    g.config.columns = [
      { name: "text", label: "工作", tree: false, width: 210, template: function (t) { return esc(t.text); } },
      { name: "start_date", label: "计划开始", align: "center", width: 86 },
      { name: "actual", label: "实际", align: "center", width: 90, template: function (t) { return esc(t.actual); } },
      { name: "progress", label: "进度", align: "center", width: 60,
        template: function (t) { return Math.round(t.progress * 100) + "%"; } }
    ];
    g.config.scales = [
      { unit: "month", step: 1, format: "%Y年%n月" },
      { unit: "week", step: 1, format: "%m-%d" }
    ];
    g.templates.task_class = function (start, end, task) {
      return task.late ? "gw-gantt-late" : (task.progress >= 1 ? "gw-gantt-done" : "");
    };
    g.templates.tooltip_text = function (start, end, task) { return esc(task.text); };
    g.templates.rightside_text = function () { return ""; };
    g.templates.leftside_text = function () { return ""; };
    g.templates.task_text = function (start, end, task) { return task.type === "milestone" ? "" : Math.round(task.progress * 100) + "%"; };
    src.data.forEach(function (t) {
      t.planned_start = day(t.planned_start);
      t.planned_end = day(t.planned_end);
    });
    var today = day(src.today);
    /* Community edition has no task layers: the baseline is the shaded band of each row's cells, today's column is tinted. */
    g.templates.timeline_cell_class = function (task, date) {
      var next = g.date.add(date, 1, "week");
      var cls = [];
      if (task.planned_start && date < task.planned_end && next > task.planned_start) { cls.push("gw-gantt-baseline-cell"); }
      if (date <= today && next > today) { cls.push("gw-gantt-today-cell"); }
      return cls.join(" ");
    };
    el.style.height = Math.max(180, src.data.length * g.config.row_height + 80) + "px";
    g.init(el);
    g.parse({ data: src.data, links: src.links });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
