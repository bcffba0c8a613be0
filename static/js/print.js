/* The print page's 打印 button (CSP allows no inline handler). */
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
