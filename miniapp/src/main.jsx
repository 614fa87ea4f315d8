import React from "react";
import { createRoot } from "react-dom/client";
import "zmp-ui/zaui.css";
import "./app.css";
import MotcuaApp from "./app.jsx";

createRoot(document.getElementById("app")).render(<MotcuaApp />);
