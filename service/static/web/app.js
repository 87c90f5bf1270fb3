// The analysts' page: Text (geoparse), Look up (geocode as you type, reverse), Batch (CSV/XLSX).
// Plain browser JavaScript, no build step; every request goes to this service.
(function () {
  "use strict";

  // -- interface labels, English and Arabic ------------------------------------------------
  var LABELS = {
    en: {
      title: "Syrian gazetteer", views: "Views", tabText: "Text", tabLookup: "Look up",
      tabBatch: "Batch", langSwitch: "العربية", close: "Close", map: "Map",
      textLabel: "Paste an Arabic or English text", find: "Find places", findHint: "Ctrl+Enter",
      legendHigh: "sure (≥ 0.8)", legendMid: "likely (≥ 0.5)", legendLow: "unsure",
      placesHeading: "Places", downloadCsv: "Download CSV", downloadGeojson: "Download GeoJSON",
      lookupLabel: "Place name, in Arabic or Latin letters", candidates: "Candidates",
      reverseHeading: "Reverse", reverseLabel: "Click the map, or type a point (lat, lon)",
      reverseButton: "Where is it?", batchFile: "A CSV or XLSX file with a header row",
      batchMode: "The column holds", modeNames: "place names", modeTexts: "texts to geoparse",
      batchColumn: "Column", batchRun: "Geocode the file", batchDownload: "Download the result",
      working: "Working…", emptyText: "Paste a text first.",
      found: function (n, p, s) { return n + " mentions of " + p + " places (" + s + " s)"; },
      noneFound: "No Syrian place found in this text.",
      focus: function (name, pct) { return "Focus: " + name + " (" + pct + "% of the mentions' confidence)"; },
      colMentions: "×", colName: "name", colType: "type", colGov: "governorate",
      colDistrict: "district", colSub: "sub-district", colLat: "lat", colLon: "lon",
      colConf: "conf.", type: "type", confidence: "confidence", alternatives: "or perhaps",
      asWritten: "as written", notFound: "No place found.", match: "match",
      completion: "begins with", typeMore: "Type at least 2 letters.",
      outside: function (km) { return "Outside Syria" + (km != null ? " (" + km + " km from the border)" : ""); },
      nearby: "Nearby places", neighbourhood: "neighbourhood", km: "km",
      reverseBad: "Give a point as lat, lon (e.g. 36.2, 37.15).",
      uploading: function (pct) { return "Uploading " + pct + "%"; },
      geocoding: function (file, s) { return "Geocoding " + file + "… " + s + " s"; },
      batchDone: function (s) { return "rows " + s.rows_in + " · matched " + s.matched + " · ambiguous " + s.ambiguous + " · not found " + s.not_found + (s.mentions ? " · mentions " + s.mentions : "") + " · " + s.seconds + " s"; },
      batchReady: "Done.", noHeader: "Could not read the header row; type the column name.",
      network: "The service did not answer", preview: "first rows of the result",
      addAlias: "Add a missing name…",
      aliasOff: "Adding names is off on this server (it has no curation store).",
      aliasOn: "Select a word in the text, or pick a highlighted mention, to add it as a name of a place (editors, with an API key).",
      aliasSelected: function (s) { return "Selected: “" + s + "”. “Add a missing name…” adds it as a name of a place."; },
      aliasTitle: "Add a name to the gazetteer", aliasName: "The name, as written",
      aliasPlace: "The place it names", aliasSearch: "Find another place (name or id)",
      aliasArea: "Where the name is used", aliasAnywhere: "anywhere",
      aliasWhy: "Why (required)", aliasSource: "Source: a link or a document",
      aliasKey: "Editor API key", aliasForget: "Forget the key",
      aliasKeyHint: "Kept in this browser tab only, until it is closed.",
      aliasSubmit: "Add the name", aliasRefind: "Find places again",
      aliasNoPlace: "No place chosen yet: find it below.", aliasReadNow: "as the text is read now",
      aliasFromMention: function (s, name) { return "From the mention “" + s + "”, read now as " + name + ". If that place is wrong, choose the right one."; },
      aliasFromSelection: function (s) { return "From the text you selected: “" + s + "”."; },
      aliasNew: "Type the name and choose the place it names.",
      aliasNeed: function (list) { return "Still needed: " + list + "."; },
      needName: "the name", needPlace: "the place", needWhy: "why", needKey: "the API key",
      aliasSending: "Sending…",
      aliasAdded: function (id, name, place) { return "Added, change " + id + ": “" + name + "” is now a name of " + place + ". Find places again to see it."; },
      refused401: "The API key was not accepted", refused403: "This key may not add names",
      refused409: "Refused, it clashes with the gazetteer", refused422: "Refused, the change is not valid"
    },
    ar: {
      title: "معجم الأماكن السورية", views: "العروض", tabText: "نص", tabLookup: "بحث",
      tabBatch: "ملف", langSwitch: "English", close: "إغلاق", map: "الخريطة",
      textLabel: "الصق نصاً عربياً أو إنجليزياً", find: "استخرج الأماكن", findHint: "Ctrl+Enter",
      legendHigh: "مؤكد (0.8 فأكثر)", legendMid: "مرجح (0.5 فأكثر)", legendLow: "غير مؤكد",
      placesHeading: "الأماكن", downloadCsv: "تنزيل CSV", downloadGeojson: "تنزيل GeoJSON",
      lookupLabel: "اسم المكان بالحروف العربية أو اللاتينية", candidates: "النتائج",
      reverseHeading: "البحث العكسي", reverseLabel: "انقر على الخريطة أو اكتب نقطة (عرض، طول)",
      reverseButton: "أين هذه النقطة؟", batchFile: "ملف CSV أو XLSX بسطر عناوين",
      batchMode: "يحتوي العمود على", modeNames: "أسماء أماكن", modeTexts: "نصوص لاستخراج الأماكن منها",
      batchColumn: "العمود", batchRun: "حدد مواقع الملف", batchDownload: "تنزيل النتيجة",
      working: "جارٍ العمل…", emptyText: "الصق نصاً أولاً.",
      found: function (n, p, s) { return n + " ذكراً لـ " + p + " مكاناً (" + s + " ث)"; },
      noneFound: "لم يُعثر على أي مكان سوري في هذا النص.",
      focus: function (name, pct) { return "محور النص: " + name + " (" + pct + "% من ثقة الإشارات)"; },
      colMentions: "×", colName: "الاسم", colType: "النوع", colGov: "المحافظة",
      colDistrict: "المنطقة", colSub: "الناحية", colLat: "عرض", colLon: "طول",
      colConf: "الثقة", type: "النوع", confidence: "الثقة", alternatives: "أو ربما",
      asWritten: "كما كُتب", notFound: "لم يُعثر على مكان.", match: "مطابقة",
      completion: "يبدأ بـ", typeMore: "اكتب حرفين على الأقل.",
      outside: function (km) { return "خارج سوريا" + (km != null ? " (" + km + " كم عن الحدود)" : ""); },
      nearby: "أماكن قريبة", neighbourhood: "حي", km: "كم",
      reverseBad: "اكتب النقطة بصيغة عرض، طول (مثلاً 36.2, 37.15).",
      uploading: function (pct) { return "جارٍ الرفع " + pct + "%"; },
      geocoding: function (file, s) { return "جارٍ تحديد مواقع " + file + "… " + s + " ث"; },
      batchDone: function (s) { return "الأسطر " + s.rows_in + " · وُجد " + s.matched + " · ملتبس " + s.ambiguous + " · لم يوجد " + s.not_found + (s.mentions ? " · إشارات " + s.mentions : "") + " · " + s.seconds + " ث"; },
      batchReady: "تم.", noHeader: "تعذرت قراءة سطر العناوين؛ اكتب اسم العمود.",
      network: "لم تُجب الخدمة", preview: "الأسطر الأولى من النتيجة",
      addAlias: "أضف اسماً ناقصاً…",
      aliasOff: "إضافة الأسماء معطلة على هذا الخادم (لا مخزن للتنقيح فيه).",
      aliasOn: "حدد كلمة في النص أو اختر إشارة مظللة لإضافتها اسماً لمكان (للمحررين، بمفتاح API).",
      aliasSelected: function (s) { return "المحدد: «" + s + "». يضيفه زر «أضف اسماً ناقصاً…» اسماً لمكان."; },
      aliasTitle: "إضافة اسم إلى المعجم", aliasName: "الاسم كما يُكتب",
      aliasPlace: "المكان الذي يدل عليه", aliasSearch: "ابحث عن مكان آخر (بالاسم أو المعرّف)",
      aliasArea: "حيث يُستخدم الاسم", aliasAnywhere: "في كل مكان",
      aliasWhy: "السبب (مطلوب)", aliasSource: "المصدر: رابط أو وثيقة",
      aliasKey: "مفتاح API للمحرر", aliasForget: "انسَ المفتاح",
      aliasKeyHint: "يُحفظ في علامة التبويب هذه فقط حتى تُغلق.",
      aliasSubmit: "أضف الاسم", aliasRefind: "استخرج الأماكن مجدداً",
      aliasNoPlace: "لم يُختر مكان بعد: ابحث عنه أدناه.", aliasReadNow: "كما يُقرأ النص الآن",
      aliasFromMention: function (s, name) { return "من الإشارة «" + s + "»، المقروءة الآن على أنها " + name + ". إن كان المكان خطأً فاختر الصحيح."; },
      aliasFromSelection: function (s) { return "من النص المحدد: «" + s + "»."; },
      aliasNew: "اكتب الاسم واختر المكان الذي يدل عليه.",
      aliasNeed: function (list) { return "ما زال ناقصاً: " + list + "."; },
      needName: "الاسم", needPlace: "المكان", needWhy: "السبب", needKey: "مفتاح API",
      aliasSending: "جارٍ الإرسال…",
      aliasAdded: function (id, name, place) { return "أُضيف، التغيير رقم " + id + ": صار «" + name + "» اسماً لـ " + place + ". استخرج الأماكن مجدداً لتراه."; },
      refused401: "لم يُقبل مفتاح API", refused403: "هذا المفتاح لا يسمح بإضافة الأسماء",
      refused409: "رُفض: يتعارض مع المعجم", refused422: "رُفض: التغيير غير صالح"
    }
  };
  var TYPE_AR = {
    city: "مدينة", town: "بلدة", village: "قرية", neighbourhood: "حي", camp: "مخيم",
    governorate: "محافظة", district: "منطقة", subdistrict: "ناحية", country: "دولة",
    airbase: "مطار عسكري", mountain: "جبل", region: "منطقة جغرافية", hamlet: "مزرعة"
  };
  var lang = pickLanguage();

  function pickLanguage() {
    try {
      var saved = window.localStorage.getItem("gazetteer.lang");
      if (saved === "ar" || saved === "en") return saved;
    } catch (e) { /* storage off: fall through */ }
    return (navigator.language || "").toLowerCase().indexOf("ar") === 0 ? "ar" : "en";
  }
  function t(key) {
    var v = LABELS[lang][key];
    if (typeof v === "function") return v.apply(null, Array.prototype.slice.call(arguments, 1));
    return v;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.dataset.i18n); });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (n) {
      n.setAttribute("aria-label", t(n.dataset.i18nAria));
    });
    var sw = $("lang-switch");
    sw.textContent = t("langSwitch");
    sw.lang = lang === "ar" ? "en" : "ar";
    rerender.forEach(function (f) { f(); });
  }
  var rerender = [];

  // -- names, admin units, confidence ------------------------------------------------------
  function placeName(p) {
    var first = lang === "ar" ? p.name_ar : p.name_en, second = lang === "ar" ? p.name_en : p.name_ar;
    if (!first) return second || p.id || "";
    return second && second !== first ? first + " · " + second : first;
  }
  function adminName(a) { return a ? ((lang === "ar" ? a.name_ar : a.name_en) || a.name_en || a.name_ar || a.pcode) : ""; }
  function adminPath(p) {
    return [p.admin1, p.admin2, p.admin3].filter(Boolean).map(adminName)
      .filter(function (v, i, all) { return all.indexOf(v) === i; }).join(" / ");
  }
  function typeName(type) { return lang === "ar" ? (TYPE_AR[type] || type) : type; }
  function confClass(c) { return c >= 0.8 ? "c-high" : c >= 0.5 ? "c-mid" : "c-low"; }
  function confColor(c) { return c >= 0.8 ? "#1f8a3d" : c >= 0.5 ? "#c99a00" : "#c0392b"; }
  function confBadge(c) { return el("span", { className: "conf " + confClass(c), text: c.toFixed(2) }); }

  // -- messages and requests ---------------------------------------------------------------
  function showMessage(text) {
    $("message-text").textContent = text;
    $("message").hidden = false;
  }
  function clearMessage() { $("message").hidden = true; }
  $("message-close").addEventListener("click", clearMessage);

  // The answer's JSON, or an Error whose message is the problem's title and detail.
  function problemText(status, body) {
    if (body && (body.title || body.detail)) return (body.title || "") + (body.detail ? ": " + body.detail : "") + " (" + status + ")";
    return "HTTP " + status;
  }
  function requestJSON(url, options) {
    return fetch(url, options).then(function (resp) {
      return resp.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!resp.ok) throw new Error(problemText(resp.status, body));
        return body;
      });
    }, function (err) {
      if (err && err.name === "AbortError") throw err;
      throw new Error(t("network") + " (" + err.message + ")");
    });
  }

  // -- the map: outlines from the service, no tiles ----------------------------------------
  var SYRIA = [[32.3, 35.6], [37.4, 42.4]];
  var map = L.map("map", { zoomSnap: 0.25, minZoom: 5, maxZoom: 15, keyboard: true,
                           attributionControl: true, worldCopyJump: false });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("OCHA COD-AB");
  map.fitBounds(SYRIA);
  var labelsLayer = L.layerGroup().addTo(map);
  var boundaryFeatures = [];
  requestJSON("/web/boundaries.geojson").then(function (fc) {
    boundaryFeatures = fc.features;
    var gov = fc.features.filter(function (f) { return f.properties.level === 1; });
    var dist = fc.features.filter(function (f) { return f.properties.level === 2; });
    L.geoJSON({ type: "FeatureCollection", features: gov }, { interactive: false,
      style: { color: "#6b7682", weight: 1.8, fillColor: "#fbfaf6", fillOpacity: 1 } }).addTo(map);
    L.geoJSON({ type: "FeatureCollection", features: dist }, { interactive: false,
      style: { color: "#9aa4ae", weight: 0.7, dashArray: "3 3", fill: false },
      className: "district" }).addTo(map);
    drawLabels();
    document.body.dataset.boundariesMs = performance.now().toFixed(1); // since navigation start
    document.body.dataset.boundaries = String(fc.features.length);
  }).catch(function (err) { showMessage(err.message); });
  function drawLabels() {
    labelsLayer.clearLayers();
    boundaryFeatures.forEach(function (f) {
      var p = f.properties;
      if (p.level !== 1 || !p.label) return;
      L.tooltip({ permanent: true, direction: "center", className: "map-label", interactive: false })
        .setLatLng([p.label[1], p.label[0]]).setContent(lang === "ar" ? p.name_ar : p.name_en)
        .addTo(labelsLayer);
    });
  }
  rerender.push(drawLabels);
  var pointsLayer = L.featureGroup().addTo(map);

  function addPoint(lat, lon, conf, id, popup) {
    var marker = L.circleMarker([lat, lon], { radius: 7, weight: 2, color: "#fff",
      fillColor: confColor(conf), fillOpacity: 0.95, className: "place-point" });
    marker.bindPopup(popup);
    marker.addTo(pointsLayer);
    var node = marker.getElement();
    if (node) node.setAttribute("data-id", id);
    return marker;
  }
  function showOnMap(marker) {
    var ll = marker.getLatLng();
    map.setView(ll, Math.max(map.getZoom(), 9));
    marker.openPopup();
  }

  // -- tabs --------------------------------------------------------------------------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  var view = "text";
  function selectView(name, focus) {
    view = name;
    tabs.forEach(function (tab) {
      var on = tab.dataset.view === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $(tab.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) tab.focus();
    });
    hideTooltip();
    pointsLayer.clearLayers();
    if (name === "text") drawTextPoints();
    if (name === "lookup") drawLookupPoints();
    if (name === "batch") drawBatchPoints();
    document.body.dataset.view = name;
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { selectView(tab.dataset.view); });
    tab.addEventListener("keydown", function (ev) {
      var step = { ArrowRight: 1, ArrowLeft: -1, Home: -99, End: 99 }[ev.key];
      if (step === undefined) return;
      if (document.documentElement.dir === "rtl" && Math.abs(step) === 1) step = -step;
      var j = Math.max(0, Math.min(tabs.length - 1, step === 99 ? tabs.length - 1 : step === -99 ? 0 : (i + step + tabs.length) % tabs.length));
      selectView(tabs[j].dataset.view, true);
      ev.preventDefault();
    });
  });
  $("lang-switch").addEventListener("click", function () {
    lang = lang === "ar" ? "en" : "ar";
    try { window.localStorage.setItem("gazetteer.lang", lang); } catch (e) { /* not kept */ }
    applyLanguage();
  });

  // -- Text view ---------------------------------------------------------------------------
  var RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  var LTR_CHAR = /[A-Za-z\u00C0-\u024F]/;
  // The direction of a text is that of its first letter (Arabic: right to left).
  function textDirection(text) {
    for (var i = 0; i < text.length; i++) {
      if (RTL_CHAR.test(text[i])) return "rtl";
      if (LTR_CHAR.test(text[i])) return "ltr";
    }
    return "auto";
  }
  var textState = null; // {text, fc, places: [{id, props, lat, lon, mentions: [i], conf}], byId}
  var selectedPlace = null;

  $("text-input").addEventListener("input", function () { this.dir = textDirection(this.value); });
  $("text-input").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); findPlaces(); }
  });
  $("find-places").addEventListener("click", findPlaces);

  function findPlaces() {
    var text = $("text-input").value;
    clearMessage();
    if (!text.trim()) { showMessage(t("emptyText")); return; }
    var started = performance.now();
    $("text-status").textContent = t("working");
    $("find-places").disabled = true;
    requestJSON("/v1/parse", { method: "POST", headers: { "Content-Type": "application/json" },
                               body: JSON.stringify({ text: text }) })
      .then(function (fc) {
        textState = collectPlaces(text, fc);
        textState.seconds = ((performance.now() - started) / 1000).toFixed(2);
        selectedPlace = null;
        aliasSource = null;  // a new text: nothing picked in it yet
        renderAliasHint();
        renderText();
        if (view === "text") { pointsLayer.clearLayers(); drawTextPoints(true); }
        // for bench/bench_web.py: the click to the text highlighted, its table and points drawn
        document.body.dataset.parseMs = (performance.now() - started).toFixed(1);
        document.body.dataset.parsed = String(fc.features.length);
      })
      .catch(function (err) { $("text-status").textContent = ""; showMessage(err.message); })
      .then(function () { $("find-places").disabled = false; });
  }

  function collectPlaces(text, fc) {
    var byId = {}, places = [];
    fc.features.forEach(function (f, i) {
      var p = f.properties;
      var entry = byId[p.id];
      if (!entry) {
        entry = byId[p.id] = { id: p.id, props: p, lon: f.geometry.coordinates[0],
                               lat: f.geometry.coordinates[1], mentions: [], conf: 0, surfaces: [] };
        places.push(entry);
      }
      entry.mentions.push(i);
      entry.conf = Math.max(entry.conf, p.confidence);
      if (entry.surfaces.indexOf(p.surface) < 0) entry.surfaces.push(p.surface);
    });
    return { text: text, fc: fc, places: places, byId: byId };
  }

  // Python counts code points, JavaScript UTF-16 units: map one onto the other.
  function codePointOffsets(text) {
    var units = [], i = 0;
    while (i < text.length) {
      units.push(i);
      var c = text.charCodeAt(i);
      i += (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) ? 2 : 1;
    }
    units.push(text.length);
    return units;
  }

  function renderText() {
    if (!textState) return;
    var s = textState, out = $("text-output");
    var units = codePointOffsets(s.text), pos = 0;
    out.textContent = "";
    out.dir = textDirection(s.text);
    s.fc.features.forEach(function (f, i) {
      var p = f.properties, a = units[p.start], b = units[p.end];
      if (a === undefined || b === undefined || a < pos) return; // overlapping: keep the first
      out.appendChild(document.createTextNode(s.text.slice(pos, a)));
      var mark = el("mark", { className: "mention " + confClass(p.confidence), tabindex: "0",
                              "data-i": String(i), "data-id": p.id, role: "button",
                              "aria-label": s.text.slice(a, b) + ": " + placeName(p) + ", " + t("confidence") + " " + p.confidence.toFixed(2),
                              text: s.text.slice(a, b) });
      if (selectedPlace === p.id) mark.classList.add("selected");
      out.appendChild(mark);
      pos = b;
    });
    out.appendChild(document.createTextNode(s.text.slice(pos)));
    $("text-result").hidden = false;
    $("text-status").textContent = s.fc.features.length ? t("found", s.fc.features.length, s.places.length, s.seconds) : t("noneFound");
    var focus = s.fc.focus;
    $("text-focus").textContent = focus && focus.place ? t("focus", placeName(focus.place), Math.round(focus.weight * 100)) : "";
    renderPlacesTable();
  }
  rerender.push(renderText);

  var PLACE_COLUMNS = ["colMentions", "colName", "colType", "colGov", "colDistrict", "colSub", "colLat", "colLon", "colConf"];
  function renderPlacesTable() {
    var table = $("places-table");
    table.textContent = "";
    table.appendChild(el("thead", null, [el("tr", null, PLACE_COLUMNS.map(function (k) { return el("th", { scope: "col", text: t(k) }); }))]));
    var body = el("tbody");
    textState.places.forEach(function (pl) {
      var p = pl.props;
      var row = el("tr", { tabindex: "0", "data-id": pl.id }, [
        el("td", { className: "num", text: String(pl.mentions.length) }),
        el("td", null, [placeName(p)]),
        el("td", { text: typeName(p.type) }),
        el("td", { text: adminName(p.admin1) }), el("td", { text: adminName(p.admin2) }),
        el("td", { text: adminName(p.admin3) }),
        el("td", { className: "num", text: pl.lat.toFixed(4) }),
        el("td", { className: "num", text: pl.lon.toFixed(4) }),
        el("td", null, [confBadge(pl.conf)])]);
      if (selectedPlace === pl.id) row.classList.add("selected");
      body.appendChild(row);
    });
    table.appendChild(body);
  }
  $("places-table").addEventListener("click", function (ev) {
    var row = ev.target.closest("tr[data-id]");
    if (row) selectTextPlace(row.dataset.id, "table");
  });
  $("places-table").addEventListener("keydown", function (ev) {
    var row = ev.target.closest("tr[data-id]");
    if (row && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); selectTextPlace(row.dataset.id, "table"); }
  });

  var textMarkers = {};
  function drawTextPoints(fit) {
    textMarkers = {};
    if (!textState) return;
    textState.places.forEach(function (pl) {
      var p = pl.props;
      var popup = el("div", null, [el("strong", { text: placeName(p) }), el("br"),
        typeName(p.type) + " · " + adminPath(p), el("br"),
        t("asWritten") + ": " + pl.surfaces.join("، ") + " (" + pl.mentions.length + "×)"]);
      var marker = addPoint(pl.lat, pl.lon, pl.conf, pl.id, popup);
      marker.on("click", function () { selectTextPlace(pl.id, "map"); });
      textMarkers[pl.id] = marker;
    });
    if (fit && textState.places.length) map.fitBounds(pointsLayer.getBounds().pad(0.3), { maxZoom: 9 });
  }

  // A mention, a table row or a point chosen: show the others of the same place.
  function selectTextPlace(id, from) {
    selectedPlace = id;
    document.querySelectorAll("#text-output .mention").forEach(function (m) {
      m.classList.toggle("selected", m.dataset.id === id);
    });
    document.querySelectorAll("#places-table tr[data-id]").forEach(function (r) {
      r.classList.toggle("selected", r.dataset.id === id);
    });
    document.querySelectorAll("#map .place-point").forEach(function (p) {
      p.classList.toggle("selected", p.getAttribute("data-id") === id);
    });
    var marker = textMarkers[id];
    if (marker && from !== "map") showOnMap(marker);
    if (from === "map") {
      var first = document.querySelector('#text-output .mention[data-id="' + cssEscape(id) + '"]');
      if (first) first.scrollIntoView({ block: "nearest" });
    }
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"'); }

  var output = $("text-output");
  output.addEventListener("click", function (ev) {
    var m = ev.target.closest(".mention");
    if (m && window.getSelection().isCollapsed) {
      selectTextPlace(m.dataset.id, "text");
      aliasFromMention(Number(m.dataset.i));
    }
  });
  output.addEventListener("keydown", function (ev) {
    var m = ev.target.closest(".mention");
    if (!m) return;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      selectTextPlace(m.dataset.id, "text");
      aliasFromMention(Number(m.dataset.i));
    }
    if (ev.key === "Escape") hideTooltip();
  });
  ["mouseover", "focusin"].forEach(function (type) {
    output.addEventListener(type, function (ev) {
      var m = ev.target.closest(".mention");
      if (m) showTooltip(m);
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    output.addEventListener(type, function (ev) { if (ev.target.closest(".mention")) hideTooltip(); });
  });

  function showTooltip(mark) {
    var f = textState.fc.features[Number(mark.dataset.i)], p = f.properties;
    var tip = $("tooltip");
    tip.textContent = "";
    tip.dir = lang === "ar" ? "rtl" : "ltr";
    tip.appendChild(el("div", { className: "name", text: placeName(p) }));
    tip.appendChild(el("div", { text: t("type") + ": " + typeName(p.type) }));
    tip.appendChild(el("div", { text: adminPath(p) }));
    tip.appendChild(el("div", null, [t("confidence") + ": ", confBadge(p.confidence)]));
    var alts = (p.alternatives || []).slice(0, 4);
    if (alts.length) {
      tip.appendChild(el("div", { className: "alts", text: t("alternatives") + ": " + alts.map(function (a) {
        return placeName(a) + " (" + a.confidence.toFixed(2) + ")";
      }).join("; ") }));
    }
    tip.hidden = false;
    var r = mark.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function hideTooltip() { $("tooltip").hidden = true; }
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hideTooltip(); });

  // downloads: the table's places
  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function csvCell(v) {
    v = v == null ? "" : String(v);
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function placeRecord(pl) {
    var p = pl.props, rec = { id: pl.id, name_ar: p.name_ar, name_en: p.name_en, type: p.type };
    ["admin1", "admin2", "admin3"].forEach(function (k) {
      var a = p[k] || {};
      rec[k + "_pcode"] = a.pcode || ""; rec[k + "_name_en"] = a.name_en || ""; rec[k + "_name_ar"] = a.name_ar || "";
    });
    rec.lat = pl.lat; rec.lon = pl.lon; rec.confidence = pl.conf; rec.mentions = pl.mentions.length;
    rec.surfaces = pl.surfaces.join("|");
    return rec;
  }
  $("download-csv").addEventListener("click", function () {
    if (!textState) return;
    var recs = textState.places.map(placeRecord);
    var cols = Object.keys(placeRecord({ id: "", props: {}, lat: 0, lon: 0, conf: 0, mentions: [], surfaces: [] }));
    var lines = [cols.join(",")].concat(recs.map(function (r) { return cols.map(function (c) { return csvCell(r[c]); }).join(","); }));
    download("places.csv", "text/csv;charset=utf-8", "\ufeff" + lines.join("\r\n") + "\r\n");
  });
  $("download-geojson").addEventListener("click", function () {
    if (!textState) return;
    var fc = { type: "FeatureCollection", focus: textState.fc.focus || null,
      features: textState.places.map(function (pl) {
        var rec = placeRecord(pl);
        delete rec.lat; delete rec.lon;
        rec.surfaces = pl.surfaces;
        return { type: "Feature", id: pl.id, geometry: { type: "Point", coordinates: [pl.lon, pl.lat] }, properties: rec };
      }) };
    download("places.geojson", "application/geo+json", JSON.stringify(fc, null, 1));
  });

  // -- Look up view ------------------------------------------------------------------------
  var lookupTimer = null, lookupAbort = null, lookupItems = [], lookupMarkers = [];
  $("lookup-input").addEventListener("input", function () {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(lookUp, 250);
  });
  $("lookup-input").addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") {
      var first = document.querySelector("#lookup-results button");
      if (first) { ev.preventDefault(); first.focus(); }
    }
    if (ev.key === "Enter") { ev.preventDefault(); clearTimeout(lookupTimer); lookUp(); }
  });
  $("lookup-results").addEventListener("keydown", function (ev) {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("#lookup-results button"));
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" && i + 1 < buttons.length) { ev.preventDefault(); buttons[i + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? buttons[i - 1] : $("lookup-input")).focus(); }
  });

  function lookUp() {
    var q = $("lookup-input").value.trim();
    if (lookupAbort) lookupAbort.abort();
    if (q.length < 2) { lookupItems = []; renderLookup(q ? t("typeMore") : ""); return; }
    var abort = lookupAbort = new AbortController();
    var enc = encodeURIComponent(q);
    clearMessage();
    $("lookup-status").textContent = t("working");
    Promise.all([
      requestJSON("/v1/geocode?limit=5&q=" + enc, { signal: abort.signal }),
      requestJSON("/web/suggest?limit=8&q=" + enc, { signal: abort.signal })
    ]).then(function (answers) {
      var seen = {}, items = [];
      answers.forEach(function (fc, k) {
        fc.features.forEach(function (f) {
          if (seen[f.properties.id]) return;
          seen[f.properties.id] = true;
          items.push({ kind: k === 0 ? "match" : "completion", f: f });
        });
      });
      lookupItems = items;
      renderLookup(items.length ? "" : t("notFound"));
      document.body.dataset.lookup = q;
    }).catch(function (err) {
      if (err.name === "AbortError") return;
      $("lookup-status").textContent = "";
      showMessage(err.message);
    });
  }

  function renderLookup(status) {
    if (status !== undefined) $("lookup-status").textContent = status;
    var list = $("lookup-results");
    list.textContent = "";
    lookupItems.forEach(function (item, i) {
      var p = item.f.properties;
      var kind = item.kind === "match" ? t("match") : t("completion") + " “" + $("lookup-input").value.trim() + "”";
      var button = el("button", { type: "button", "data-id": p.id, "data-i": String(i) }, [
        confBadge(p.confidence), el("span", { className: "name", text: placeName(p) }),
        el("span", { className: "kind", text: typeName(p.type) + " · " + kind }),
        el("span", { className: "where", text: adminPath(p) })]);
      button.addEventListener("click", function () { selectLookup(i); });
      list.appendChild(el("li", null, [button]));
    });
    if (view === "lookup") { pointsLayer.clearLayers(); drawLookupPoints(true); }
  }
  rerender.push(function () { renderLookup(); renderReverse(); });

  var reverseMarker = null, reverseAnswer = null;
  function drawLookupPoints(fit) {
    lookupMarkers = lookupItems.map(function (item, i) {
      var p = item.f.properties, c = item.f.geometry.coordinates;
      var m = addPoint(c[1], c[0], p.confidence, p.id, el("div", null, [
        el("strong", { text: placeName(p) }), el("br"), typeName(p.type) + " · " + adminPath(p)]));
      m.on("click", function () { markLookup(i); });
      return m;
    });
    if (reverseAnswer) drawReversePoint();
    if (fit && lookupMarkers.length) map.fitBounds(pointsLayer.getBounds().pad(0.3), { maxZoom: 9 });
  }
  function markLookup(i) {
    document.querySelectorAll("#lookup-results button").forEach(function (b) {
      b.classList.toggle("selected", Number(b.dataset.i) === i);
    });
  }
  function selectLookup(i) {
    markLookup(i);
    if (lookupMarkers[i]) showOnMap(lookupMarkers[i]);
  }

  // Reverse: a click on the map (in this view) or a typed point.
  map.on("click", function (ev) {
    if (view !== "lookup") return;
    var ll = ev.latlng.wrap();
    $("reverse-input").value = ll.lat.toFixed(5) + ", " + ll.lng.toFixed(5);
    reverse("lat=" + ll.lat.toFixed(6) + "&lon=" + ll.lng.toFixed(6));
  });
  $("reverse-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = $("reverse-input").value.trim();
    if (!v) { showMessage(t("reverseBad")); return; }
    reverse("point=" + encodeURIComponent(v));
  });
  function reverse(query) {
    clearMessage();
    requestJSON("/v1/reverse?limit=5&" + query).then(function (fc) {
      reverseAnswer = fc;
      renderReverse();
      if (view === "lookup") drawReversePoint(true);
    }).catch(function (err) { showMessage(err.message); });
  }
  function renderReverse() {
    var out = $("reverse-output");
    out.textContent = "";
    if (!reverseAnswer) return;
    var q = reverseAnswer.features[0], p = q.properties;
    if (p.outside || !p.admin1) {
      var km = p.distance_to_syria_km;
      out.appendChild(el("p", { text: t("outside", km != null ? Number(km).toFixed(1) : null) }));
    } else {
      out.appendChild(el("p", null, [el("strong", { text: adminPath(p) }),
        p.neighbourhood ? " · " + t("neighbourhood") + ": " + adminName(p.neighbourhood) : ""]));
    }
    var near = reverseAnswer.features.slice(1);
    if (near.length) {
      out.appendChild(el("h3", { className: "focus", text: t("nearby") }));
      out.appendChild(el("ul", { className: "nearby" }, near.map(function (f) {
        var n = f.properties;
        return el("li", { text: placeName(n) + " — " + typeName(n.type) + ", " + n.distance_km.toFixed(1) + " " + t("km") });
      })));
    }
  }
  function drawReversePoint(pan) {
    if (!reverseAnswer) return;
    var c = reverseAnswer.features[0].geometry.coordinates;
    if (reverseMarker) pointsLayer.removeLayer(reverseMarker); // one asked point at a time
    reverseMarker = L.circleMarker([c[1], c[0]], { radius: 6, color: "#0b5cad", weight: 3,
      fillColor: "#fff", fillOpacity: 1, className: "reverse-point" }).addTo(pointsLayer);
    if (pan) map.panTo([c[1], c[0]]);
  }

  // -- Batch view --------------------------------------------------------------------------
  var batchFile = null, batchResult = null;
  var NAME_COLUMNS = /^(name|place|location|village|town|city|site|toponym|الاسم|المكان|الموقع|القرية)/i;
  var TEXT_COLUMNS = /^(text|body|content|description|post|tweet|النص|المحتوى)/i;

  $("batch-file").addEventListener("change", function () {
    batchFile = this.files[0] || null;
    batchResult = null;
    $("batch-download").hidden = true;
    $("batch-summary").textContent = "";
    $("batch-preview").textContent = "";
    clearMessage();
    if (!batchFile) return;
    readHeader(batchFile).then(fillColumns, function () { fillColumns(null); });
  });
  document.querySelectorAll("input[name=batch-mode]").forEach(function (r) {
    r.addEventListener("change", function () { if (batchColumns) fillColumns(batchColumns); });
  });
  var batchColumns = null;

  function batchMode() { return document.querySelector("input[name=batch-mode]:checked").value; }

  function fillColumns(columns) {
    batchColumns = columns;
    var select = $("batch-column"), old = select;
    if (!columns || !columns.length) {
      // no header read: let the person type the column's name
      var input = el("input", { id: "batch-column", type: "text", dir: "auto" });
      old.replaceWith(input);
      showMessage(t("noHeader"));
      $("batch-run").disabled = false;
      return;
    }
    if (select.tagName !== "SELECT") {
      select = el("select", { id: "batch-column" });
      old.replaceWith(select);
    }
    select.textContent = "";
    var want = batchMode() === "column" ? NAME_COLUMNS : TEXT_COLUMNS, chosen = 0;
    columns.forEach(function (c, i) {
      select.appendChild(el("option", { value: c, text: c }));
      if (!chosen && want.test(c.trim())) chosen = i + 1;
    });
    select.selectedIndex = Math.max(0, chosen - 1);
    select.disabled = false;
    $("batch-run").disabled = false;
  }

  // The header row of the file, read here so the column can be chosen from a list.
  function readHeader(file) {
    if (/\.xlsx$/i.test(file.name)) return xlsxHeader(file);
    return file.slice(0, 65536).arrayBuffer().then(function (buf) {
      var bytes = new Uint8Array(buf), text;
      if (bytes[0] === 0xFF && bytes[1] === 0xFE) text = new TextDecoder("utf-16le").decode(bytes);
      else if (bytes[0] === 0xFE && bytes[1] === 0xFF) text = new TextDecoder("utf-16be").decode(bytes);
      else {
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
        catch (e) { text = new TextDecoder("windows-1256").decode(bytes); }
      }
      text = text.replace(/^\ufeff/, "");
      var firstLine = text.split(/\r?\n/)[0];
      var delim = [",", ";", "\t", "|"].reduce(function (best, d) {
        return firstLine.split(d).length > firstLine.split(best).length ? d : best;
      }, ",");
      return parseCsv(text, delim)[0] || [];
    });
  }

  // RFC 4180 CSV: quoted fields with doubled quotes and line breaks.
  function parseCsv(text, delim) {
    var rows = [], row = [], field = "", quoted = false, i = 0;
    for (; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; }
        else field += c;
      } else if (c === '"' && field === "") quoted = true;
      else if (c === delim) { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(field); rows.push(row); row = []; field = "";
      } else field += c;
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  // An .xlsx is a zip: find the first sheet and the shared strings, inflate them with the
  // browser's own DecompressionStream, and read the first row.
  function xlsxHeader(file) {
    return file.arrayBuffer().then(function (buf) {
      var entries = zipEntries(new DataView(buf));
      function read(name) {
        var e = entries[name];
        if (!e) return Promise.resolve(null);
        var data = new Uint8Array(buf, e.offset, e.size);
        if (e.method === 0) return Promise.resolve(new TextDecoder().decode(data));
        var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return new Response(stream).text();
      }
      var sheetName = Object.keys(entries).filter(function (n) { return /^xl\/worksheets\/sheet\d+\.xml$/.test(n); }).sort()[0];
      return Promise.all([read(sheetName), read("xl/sharedStrings.xml")]).then(function (parts) {
        var dp = new DOMParser();
        var sheet = dp.parseFromString(parts[0], "application/xml");
        var strings = parts[1] ? Array.prototype.map.call(
          dp.parseFromString(parts[1], "application/xml").getElementsByTagName("si"),
          function (si) { return si.textContent; }) : [];
        var row = sheet.getElementsByTagName("row")[0];
        if (!row) return [];
        return Array.prototype.map.call(row.getElementsByTagName("c"), function (c) {
          var v = c.getElementsByTagName("v")[0], type = c.getAttribute("t");
          if (type === "s" && v) return strings[Number(v.textContent)] || "";
          if (type === "inlineStr") return c.textContent;
          return v ? v.textContent : "";
        });
      });
    });
  }
  function zipEntries(view) {
    var end = -1;
    for (var i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 65557); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) throw new Error("not a zip file");
    var count = view.getUint16(end + 10, true), p = view.getUint32(end + 16, true), out = {};
    for (var k = 0; k < count; k++) {
      var method = view.getUint16(p + 10, true), size = view.getUint32(p + 20, true);
      var nameLen = view.getUint16(p + 28, true), extra = view.getUint16(p + 30, true);
      var comment = view.getUint16(p + 32, true), local = view.getUint32(p + 42, true);
      var name = new TextDecoder().decode(new Uint8Array(view.buffer, p + 46, nameLen));
      var dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      out[name] = { method: method, size: size, offset: dataStart };
      p += 46 + nameLen + extra + comment;
    }
    return out;
  }

  $("batch-run").addEventListener("click", function () {
    if (!batchFile) return;
    var column = $("batch-column").value.trim();
    var form = new FormData();
    form.append("file", batchFile, batchFile.name);
    form.append(batchMode(), column);
    var xhr = new XMLHttpRequest(), started = performance.now(), timer = null;
    var progress = $("batch-progress"), status = $("batch-status");
    clearMessage();
    $("batch-run").disabled = true;
    $("batch-download").hidden = true;
    progress.hidden = false;
    progress.value = 0;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        progress.value = Math.round(100 * ev.loaded / ev.total);
        status.textContent = t("uploading", progress.value);
      }
    });
    xhr.upload.addEventListener("load", function () {
      progress.removeAttribute("value"); // the server is working: an indeterminate bar
      function tick() { status.textContent = t("geocoding", batchFile.name, ((performance.now() - started) / 1000).toFixed(1)); }
      tick();
      timer = setInterval(tick, 250);
    });
    xhr.responseType = "blob";
    xhr.open("POST", "/v1/batch?output_encoding=utf-8-sig");
    xhr.onload = function () {
      clearInterval(timer);
      progress.hidden = true;
      $("batch-run").disabled = false;
      if (xhr.status !== 200) {
        status.textContent = "";
        xhr.response.text().then(function (text) {
          var body = null;
          try { body = JSON.parse(text); } catch (e) { body = null; }
          showMessage(problemText(xhr.status, body));
        });
        return;
      }
      var summary = {};
      try { summary = JSON.parse(xhr.getResponseHeader("X-Batch-Summary") || "{}"); } catch (e) { summary = {}; }
      var disposition = xhr.getResponseHeader("Content-Disposition") || "";
      var m = /filename="([^"]+)"/.exec(disposition);
      var link = $("batch-download");
      if (link.href && link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(xhr.response);
      link.download = m ? m[1] : "geocoded.csv";
      link.hidden = false;
      status.textContent = t("batchReady");
      batchResult = { summary: summary };
      $("batch-summary").textContent = summary.rows_in != null ? t("batchDone", summary) : "";
      xhr.response.text().then(function (text) {
        batchResult.rows = parseCsv(text.replace(/^\ufeff/, ""), ",");
        renderBatchPreview();
        if (view === "batch") { pointsLayer.clearLayers(); drawBatchPoints(true); }
        document.body.dataset.batch = "done";
      });
    };
    xhr.onerror = function () {
      clearInterval(timer);
      progress.hidden = true;
      $("batch-run").disabled = false;
      status.textContent = "";
      showMessage(t("network"));
    };
    xhr.send(form);
  });

  // The preview: the first input columns, then the place found, its governorate, confidence.
  function renderBatchPreview() {
    var table = $("batch-preview");
    table.textContent = "";
    if (!batchResult || !batchResult.rows || !batchResult.rows.length) return;
    var header = batchResult.rows[0], added = header.lastIndexOf("lat");
    var inputs = header.slice(0, Math.max(0, added)).map(function (h, i) { return i; }).slice(0, 3);
    var wanted = [lang === "ar" ? "place_name_ar" : "place_name_en",
                  lang === "ar" ? "admin1_name_ar" : "admin1_name_en", "confidence", "match_status"];
    var cols = inputs.concat(wanted.map(function (h) { return header.indexOf(h); }).filter(function (i) { return i >= 0; }));
    table.appendChild(el("caption", { className: "focus", text: t("preview") }));
    table.appendChild(el("thead", null, [el("tr", null, cols.map(function (i) { return el("th", { scope: "col", text: header[i] }); }))]));
    table.appendChild(el("tbody", null, batchResult.rows.slice(1, 11).filter(function (r) { return r.length > 1; }).map(function (r) {
      return el("tr", null, cols.map(function (i) { return el("td", { dir: "auto", text: r[i] || "" }); }));
    })));
  }
  rerender.push(renderBatchPreview);

  // The points of the result: each row's place, or with texts each place a text names.
  function drawBatchPoints(fit) {
    if (!batchResult || !batchResult.rows) return;
    var header = batchResult.rows[0];
    function col(name) { return header.lastIndexOf(name); }
    var lat = col("lat"), lon = col("lon"), conf = col("confidence"), mentions = col("mentions_json");
    var ar = col("place_name_ar"), en = col("place_name_en"), id = col("place_id");
    function draw(y, x, c, p) {
      if (isFinite(y) && isFinite(x)) addPoint(y, x, c || 0, p.id || "", el("strong", { text: placeName(p) }));
    }
    batchResult.rows.slice(1).forEach(function (r) {
      if (mentions >= 0 && r[mentions]) {
        var list = [];
        try { list = JSON.parse(r[mentions]); } catch (e) { list = []; }
        list.forEach(function (m) {
          draw(m.lat, m.lon, m.confidence, { id: m.place_id, name_ar: m.name_ar, name_en: m.name_en });
        });
      } else if (lat >= 0 && lon >= 0) {
        draw(parseFloat(r[lat]), parseFloat(r[lon]), parseFloat(r[conf]), { id: r[id], name_ar: r[ar], name_en: r[en] });
      }
    });
    if (fit && pointsLayer.getLayers().length) map.fitBounds(pointsLayer.getBounds().pad(0.3), { maxZoom: 9 });
  }

  // -- Curation: an editor adds a name the gazetteer lacks ---------------------------------
  // From a highlighted mention (its place may be wrong) or from text selected in the text view
  // that was not recognised; POST /v1/curation/aliases with an editor's API key. The key is
  // kept in sessionStorage only (this tab, until it is closed): never in a URL, never logged.
  var KEY_STORE = "gazetteer.curationKey";
  var curationOn = false;
  var aliasSource = null;  // {mention: i} or {selection: text}: what "Add a missing name…" takes
  var aliasPlace = null;   // the chosen place: a feature's properties plus lat/lon
  var aliasCandidates = [], aliasTimer = null, aliasAbort = null, aliasAdded = false;
  var aliasDialog = $("alias-dialog");

  // Curation is on when its (open) log answers; off, the service answers 404.
  fetch("/v1/curation/log?limit=1").then(function (resp) {
    curationOn = resp.ok;
  }, function () { curationOn = false; }).then(function () {
    document.body.dataset.curation = curationOn ? "on" : "off";
    renderAliasHint();
  });

  function renderAliasHint() {
    var button = $("add-alias"), hint = $("alias-hint");
    button.disabled = !curationOn;
    if (!curationOn) { hint.textContent = t("aliasOff"); return; }
    hint.textContent = aliasSource && aliasSource.selection ? t("aliasSelected", aliasSource.selection) : t("aliasOn");
  }
  rerender.push(renderAliasHint);

  function aliasFromMention(i) { aliasSource = { mention: i }; renderAliasHint(); }

  // Text selected inside the highlighted text: a name to add (within one mention: that mention).
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection(), out = $("text-output");
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;
    if (!out.contains(sel.anchorNode) || !out.contains(sel.focusNode)) return;
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (!text || text.length > 120) return;
    var common = sel.getRangeAt(0).commonAncestorContainer;
    var mark = (common.nodeType === 1 ? common : common.parentElement).closest(".mention");
    aliasSource = mark ? { mention: Number(mark.dataset.i) } : { selection: text };
    renderAliasHint();
  });

  $("add-alias").addEventListener("click", openAliasDialog);

  function openAliasDialog() {
    if (!curationOn) return;
    hideTooltip();
    var src = aliasSource, f = src && src.mention != null && textState ? textState.fc.features[src.mention] : null;
    aliasPlace = null;
    aliasCandidates = [];
    aliasAdded = false;
    $("alias-name").value = "";
    $("alias-search").value = "";
    $("alias-why").value = "";
    $("alias-source").value = "";
    var saved = null;
    try { saved = window.sessionStorage.getItem(KEY_STORE); } catch (e) { saved = null; }
    $("alias-key").value = saved || "";
    if (f) {
      var p = f.properties;
      $("alias-name").value = p.surface;
      aliasPlace = placeFromFeature(f);
      aliasPlace.readNow = true;
      aliasCandidates = (p.alternatives || []).map(function (a) { return { props: a }; });
    } else if (src && src.selection) {
      $("alias-name").value = src.selection;
    }
    setAliasAnswer(null);
    $("alias-refind").hidden = true;
    $("alias-submit").disabled = false;
    renderAliasDialog();
    aliasDialog.showModal();
    // a name already taken from the text: on to its place
    ($("alias-name").value ? $("alias-search") : $("alias-name")).focus();
  }

  function placeFromFeature(f) {
    var props = {};
    Object.keys(f.properties).forEach(function (k) { props[k] = f.properties[k]; });
    if (f.geometry) { props.lon = f.geometry.coordinates[0]; props.lat = f.geometry.coordinates[1]; }
    return props;
  }

  function renderAliasDialog() {
    var src = aliasSource, box = $("alias-place");
    var f = src && src.mention != null && textState ? textState.fc.features[src.mention] : null;
    $("alias-context").textContent = f ? t("aliasFromMention", f.properties.surface, placeName(f.properties))
      : src && src.selection ? t("aliasFromSelection", src.selection) : t("aliasNew");
    box.textContent = "";
    if (!aliasPlace) {
      box.appendChild(el("span", { text: t("aliasNoPlace") }));
    } else {
      var p = aliasPlace, path = p.admin1 ? adminPath(p) : "";
      box.appendChild(el("strong", { text: placeName(p) }));
      box.appendChild(document.createTextNode((p.type ? " · " + typeName(p.type) : "") + (path ? " · " + path : "") + " "));
      box.appendChild(el("span", { className: "id", dir: "ltr", text: p.id }));
      if (p.readNow) box.appendChild(el("span", { className: "id", text: " (" + t("aliasReadNow") + ")" }));
    }
    box.dataset.id = aliasPlace ? aliasPlace.id : "";
    // the area: anywhere, or one of the chosen place's admin units
    var area = $("alias-area"), was = area.value;
    area.textContent = "";
    area.appendChild(el("option", { value: "", text: t("aliasAnywhere") }));
    var seen = {};
    ["admin1", "admin2", "admin3"].forEach(function (k) {
      var a = aliasPlace && aliasPlace[k];
      if (!a || !a.pcode || seen[a.pcode]) return;
      seen[a.pcode] = true;
      area.appendChild(el("option", { value: a.pcode, text: adminName(a) + " (" + a.pcode + ")" }));
    });
    area.value = seen[was] ? was : "";
    var list = $("alias-results");
    list.textContent = "";
    aliasCandidates.forEach(function (c, i) {
      var p = c.props;
      var button = el("button", { type: "button", "data-id": p.id, "data-i": String(i) }, [
        p.confidence != null ? confBadge(p.confidence) : null,
        el("span", { className: "name", text: placeName(p) }),
        el("span", { className: "kind", text: (p.type ? typeName(p.type) + " · " : "") + p.id }),
        el("span", { className: "where", text: p.admin1 ? adminPath(p) : "" })]);
      if (aliasPlace && aliasPlace.id === p.id) button.classList.add("selected");
      button.addEventListener("click", function () { chooseAliasPlace(c); });
      list.appendChild(el("li", null, [button]));
    });
  }
  rerender.push(function () { if (aliasDialog.open) renderAliasDialog(); });

  function chooseAliasPlace(c) {
    aliasPlace = c.feature ? placeFromFeature(c.feature) : c.props;
    renderAliasDialog();
    $("alias-why").focus();
    if (!aliasPlace.admin1) {  // an alternative of the mention: fetch its admin units
      var id = aliasPlace.id;
      requestJSON("/v1/places/" + encodeURIComponent(id)).then(function (feature) {
        if (aliasPlace && aliasPlace.id === id) { aliasPlace = placeFromFeature(feature); renderAliasDialog(); }
      }).catch(function () { /* the id stays chosen; the server checks it */ });
    }
  }

  // Search: geocode and completion as in Look up, and a place id typed as it is.
  var PLACE_ID = /^([A-Z]{1,3}\d+|[A-Z]:\S+)$/;
  $("alias-search").addEventListener("input", function () {
    clearTimeout(aliasTimer);
    aliasTimer = setTimeout(searchAliasPlace, 250);
  });
  $("alias-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); clearTimeout(aliasTimer); searchAliasPlace(); }
    if (ev.key === "ArrowDown") {
      var first = document.querySelector("#alias-results button");
      if (first) { ev.preventDefault(); first.focus(); }
    }
  });
  $("alias-results").addEventListener("keydown", function (ev) {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("#alias-results button"));
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" && i + 1 < buttons.length) { ev.preventDefault(); buttons[i + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? buttons[i - 1] : $("alias-search")).focus(); }
  });
  function searchAliasPlace() {
    var q = $("alias-search").value.trim();
    if (aliasAbort) aliasAbort.abort();
    if (q.length < 2) return;
    var abort = aliasAbort = new AbortController(), enc = encodeURIComponent(q);
    var byId = PLACE_ID.test(q) ? requestJSON("/v1/places/" + enc, { signal: abort.signal })
      .then(function (f) { return { features: [f] }; }, function (err) {
        if (err.name === "AbortError") throw err;
        return { features: [] };  // not an id after all
      }) : Promise.resolve({ features: [] });
    Promise.all([byId, requestJSON("/v1/geocode?limit=5&q=" + enc, { signal: abort.signal }),
                 requestJSON("/web/suggest?limit=5&q=" + enc, { signal: abort.signal })])
      .then(function (answers) {
        var seen = {}, items = [];
        answers.forEach(function (fc) {
          fc.features.forEach(function (f) {
            if (seen[f.properties.id]) return;
            seen[f.properties.id] = true;
            items.push({ props: f.properties, feature: f });
          });
        });
        aliasCandidates = items;
        renderAliasDialog();
        document.body.dataset.aliasSearch = q;
      }).catch(function (err) {
        if (err.name === "AbortError") return;
        setAliasAnswer(err.message, "refused");
      });
  }

  function setAliasAnswer(text, kind) {
    var box = $("alias-answer");
    box.textContent = text || "";
    box.className = "alias-answer " + (kind || "");
    box.hidden = !text;
  }

  $("alias-forget").addEventListener("click", function () {
    try { window.sessionStorage.removeItem(KEY_STORE); } catch (e) { /* nothing kept */ }
    $("alias-key").value = "";
    $("alias-key").focus();
  });
  $("alias-close").addEventListener("click", function () { aliasDialog.close(); });
  $("alias-refind").addEventListener("click", function () { aliasDialog.close(); findPlaces(); });
  aliasDialog.addEventListener("close", function () { $("add-alias").focus(); });

  $("alias-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = $("alias-name").value.trim(), why = $("alias-why").value.trim();
    var key = $("alias-key").value.trim();
    var missing = [];
    if (!name) missing.push(["needName", "alias-name"]);
    if (!aliasPlace) missing.push(["needPlace", "alias-search"]);
    if (!why) missing.push(["needWhy", "alias-why"]);
    if (!key) missing.push(["needKey", "alias-key"]);
    if (missing.length) {
      setAliasAnswer(t("aliasNeed", missing.map(function (m) { return t(m[0]); }).join(lang === "ar" ? "، " : ", ")), "refused");
      $(missing[0][1]).focus();
      return;
    }
    var body = { place_id: aliasPlace.id, name: name, why: why, source: $("alias-source").value.trim() };
    if ($("alias-area").value) body.area = $("alias-area").value;
    try { window.sessionStorage.setItem(KEY_STORE, key); } catch (e) { /* asked again next time */ }
    var place = placeName(aliasPlace) + " (" + aliasPlace.id + ")";
    setAliasAnswer(t("aliasSending"), "");
    $("alias-submit").disabled = true;
    fetch("/v1/curation/aliases", { method: "POST", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + key },
      body: JSON.stringify(body) })
      .then(function (resp) {
        return resp.text().then(function (text) {
          var doc = null;
          try { doc = text ? JSON.parse(text) : null; } catch (e) { doc = null; }
          if (resp.ok && doc) {
            aliasAdded = true;
            setAliasAnswer(t("aliasAdded", doc.id, (doc.payload && doc.payload.name) || name, place), "ok");
            $("alias-refind").hidden = false;
            $("alias-refind").focus();
            document.body.dataset.aliasChange = String(doc.id);
            return;
          }
          if (resp.status === 401) {  // a wrong key is not kept
            try { window.sessionStorage.removeItem(KEY_STORE); } catch (e) { /* nothing kept */ }
          }
          var lead = LABELS[lang]["refused" + resp.status];
          setAliasAnswer(lead && doc && doc.detail ? lead + ": " + doc.detail + " (" + resp.status + ")"
                         : problemText(resp.status, doc), "refused");
          $("alias-submit").disabled = false;
        });
      }, function (err) {
        setAliasAnswer(t("network") + " (" + err.message + ")", "refused");
        $("alias-submit").disabled = false;
      });
  });

  // the map's popups in the new language too
  rerender.push(function () { if (document.body.dataset.ready) selectView(view); });

  applyLanguage();
  selectView("text");
  document.body.dataset.ready = "true";
})();
