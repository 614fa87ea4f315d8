"use strict";
// The e-form address question (docs/addresses.md). Without this script it works with plain selects and two
// buttons the server answers ("Hiện danh sách xã" and "Chuyển đổi"); with it, the commune list follows the
// province at once and the old address is converted in place, from the public address API.
(function () {
  if (window.motcuaAddressField) return;
  window.motcuaAddressField = true;
  var en = (document.documentElement.lang || "vi").indexOf("en") === 0;
  var api = "/api/v1/addresses/";

  function option(value, label, selected) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label; o.selected = !!selected;
    return o;
  }

  function loadCommunes(box, chosen) {
    var province = box.querySelector("[data-address-province]").value;
    var select = box.querySelector("[data-address-commune]");
    return fetch(api + "provinces/" + encodeURIComponent(province) + "/communes", {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (units) {
        select.replaceChildren(option("", "", !chosen));
        units.forEach(function (u) { select.appendChild(option(u.code, u.name, u.code === chosen)); });
      });
  }

  function show(box, nodes) {
    var out = box.querySelector("[data-address-result]");
    out.replaceChildren.apply(out, nodes);
  }

  function para(text, cls) {
    var p = document.createElement("p");
    if (cls) p.className = cls;
    p.textContent = text;
    return p;
  }

  function use(box, province, commune, street) {
    box.querySelector("[data-address-province]").value = province;
    var streetInput = box.querySelector("[data-address-street]");
    if (street && !streetInput.value) streetInput.value = street;
    return loadCommunes(box, commune);
  }

  function convert(box) {
    var text = box.querySelector("[data-address-old]").value;
    fetch(api + "convert?address=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var message = en ? body.message_en : body.message_vi;
        if (body.commune_code) {
          use(box, body.province_code, body.commune_code, body.street);
          var done = para("", "address-converted");
          var strong = document.createElement("strong");
          strong.textContent = body.address;
          done.appendChild(strong);
          show(box, [done, para(message)]);
          return;
        }
        var nodes = [para(message, "error-message")];
        if (body.candidates && body.candidates.length) {
          var list = document.createElement("ul");
          list.className = "address-candidates";
          body.candidates.forEach(function (c) {
            var item = document.createElement("li");
            var pick = document.createElement("button");
            pick.type = "button";
            pick.className = "link-button";
            pick.textContent = c.label;
            pick.addEventListener("click", function () {
              use(box, c.province_code, c.commune_code, "");
              show(box, [para((en ? "Chosen: " : "Đã chọn: ") + c.commune_name + ", " + c.province_name)]);
            });
            item.appendChild(pick);
            list.appendChild(item);
          });
          nodes.push(list);
        }
        show(box, nodes);
      })
      .catch(function () {
        show(box, [para(en ? "The converter did not answer; choose the province and commune above."
                           : "Chưa chuyển đổi được; vui lòng chọn tỉnh và xã ở trên.", "error-message")]);
      });
  }

  function enhance(box) {
    var refresh = box.querySelector("[data-address-refresh]");
    if (refresh) refresh.remove();
    box.querySelector("[data-address-province]").addEventListener("change", function () { loadCommunes(box, ""); });
    var button = box.querySelector("[data-address-convert]");
    button.type = "button";
    button.addEventListener("click", function () { convert(box); });
    box.querySelector("[data-address-old]").addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); convert(box); }
    });
  }

  function start() { document.querySelectorAll("[data-address-field]").forEach(enhance); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
