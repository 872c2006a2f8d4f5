// Shows the dots left as a participant types; the form works the same without it.
(function () {
  var form = document.querySelector("form.ballot");
  var left = document.getElementById("dots-left");
  if (!form || !left) return;
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var inputs = form.querySelectorAll("input[type=number]");
  function update() {
    var used = 0;
    inputs.forEach(function (input) { used += parseInt(input.value, 10) || 0; });
    left.textContent = String(budget - used);
    left.closest(".dots-left").classList.toggle("over", used > budget);
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
})();
