/* Dashboard charts (Apache ECharts): one chart per table; a click on a bar opens its complaints. */
(function () {
  "use strict";
  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        // containLabel: the value axis widens to its labels (six-digit counts at provincial scale).
        grid: { left: 10, right: 10, top: 10, bottom: 10, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 6 ? 40 : 0 } },
        yAxis: { type: "value" },
        series: [{ type: data.kind, data: data.values, itemStyle: { color: "#1e6fb8" } }],
      });
      chart.off("click");
      chart.on("click", function (params) {
        var url = data.urls[params.dataIndex];
        if (url) window.location.href = url;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
